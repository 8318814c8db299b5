using System.ComponentModel.DataAnnotations;

namespace LicensingPlatform.Hosting;

/// <summary>The platform's own settings (section <c>Licensing</c>); the dispatcher's stay under <c>Webhooks</c>.</summary>
public sealed class LicensingOptions
{
    /// <summary>The configuration section, <c>Licensing</c>.</summary>
    public const string Section = "Licensing";

    /// <summary>Where the platform's grains keep their state, one JSON file per grain.</summary>
    /// <value>The default is <c>data/state</c>, relative to the working folder.</value>
    [Required]
    public string StateFolder { get; set; } = "data/state";

    /// <summary>
    /// SQLite mode: the folder of the Data Protection key ring (sign-in cookies, and the dispatcher's secrets at rest).
    /// In PostgreSQL mode the ring is in the dispatcher's database, shared by every silo, and this is not read.
    /// </summary>
    /// <value>The default is <c>data/keys</c>.</value>
    [Required]
    public string KeysFolder { get; set; } = "data/keys";

    /// <summary>A PFX file whose certificate encrypts each key of the ring before it is stored; none leaves keys unencrypted.</summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>The password of <see cref="KeyRingCertificatePath"/>.</summary>
    public string? KeyRingCertificatePassword { get; set; }

    /// <summary>How often each entitlement's renewal check runs (its own reminder).</summary>
    /// <value>The default is one hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RenewalCheckPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Orleans silo-to-silo port.</summary>
    /// <value>The default is 11211 (the server, 11111, can run beside the sample).</value>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11211;

    /// <summary>The Orleans client gateway port.</summary>
    /// <value>The default is 30100.</value>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30100;

    /// <summary>
    /// Test hook, never for production: where an entitlement's change kills the process (as <c>kill -9</c> would), to
    /// prove that a retry after a restart still delivers the change once.
    /// </summary>
    /// <value>The default is <see cref="CrashPoint.None"/>.</value>
    public CrashPoint CrashAt { get; set; }
}

/// <summary>Where the <see cref="LicensingOptions.CrashAt"/> test hook kills the process.</summary>
public enum CrashPoint
{
    /// <summary>Nowhere: the hook is off.</summary>
    None,

    /// <summary>Right after an entitlement stored a new version, before it publishes the version's webhook.</summary>
    AfterStateWrite,

    /// <summary>Right after a webhook was accepted, before the entitlement records it as published.</summary>
    AfterPublish,
}
