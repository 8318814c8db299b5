using Microsoft.Extensions.Time.Testing;
using Webhooks.Abstractions.Tenants;
using Webhooks.Grains.Signing;

namespace Webhooks.Grains.Tests.Signing;

/// <summary>The life of a tenant's keys as pure data on a fake clock: waiting, then active, then retiring, then retired.</summary>
public sealed class SigningKeyScheduleTests
{
    private static readonly TimeSpan Activation = TimeSpan.FromHours(24);
    private static readonly TimeSpan Retirement = TimeSpan.FromDays(7);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void RotatedKey_Waits_ThenSigns_WhileTheOldOneRetires_ThenTheOldOneIsGone()
    {
        var first = Key("first", _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromDays(30));
        var rotatedAt = _clock.GetUtcNow();

        var keys = Rotate([first], "second", activateNow: false);

        var (old, next) = (keys[0], keys[1]);
        Assert.Equal(("first", "second"), (old.Modulus, next.Modulus));
        Assert.Equal(rotatedAt + Activation, next.ActivatesAt);
        Assert.Equal(rotatedAt + Activation + Retirement, old.RetiresAt);
        Assert.Null(next.RetiresAt);
        AssertPhases(keys, SigningKeyPhase.Active, SigningKeyPhase.Waiting);
        Assert.Equal(["first", "second"], SigningKeySchedule.Published(keys, _clock.GetUtcNow()).Select(k => k.Modulus));

        _clock.Advance(Activation - TimeSpan.FromTicks(1));
        AssertPhases(keys, SigningKeyPhase.Active, SigningKeyPhase.Waiting);

        _clock.Advance(TimeSpan.FromTicks(1)); // the activation instant itself
        AssertPhases(keys, SigningKeyPhase.Retiring, SigningKeyPhase.Active);
        Assert.Equal(["first", "second"], SigningKeySchedule.Published(keys, _clock.GetUtcNow()).Select(k => k.Modulus));

        _clock.Advance(Retirement - TimeSpan.FromTicks(1));
        AssertPhases(keys, SigningKeyPhase.Retiring, SigningKeyPhase.Active);

        _clock.Advance(TimeSpan.FromTicks(1));
        AssertPhases(keys, SigningKeyPhase.Retired, SigningKeyPhase.Active);
        Assert.Equal(["second"], SigningKeySchedule.Published(keys, _clock.GetUtcNow()).Select(k => k.Modulus));
    }

    [Fact]
    public void ActivateNow_SignsAtOnce_AndTheOldKeyRetiresAfterTheRetirementDelayFromNow()
    {
        var keys = Rotate([Key("first", _clock.GetUtcNow())], "second", activateNow: true);

        Assert.Equal(_clock.GetUtcNow(), keys[1].ActivatesAt);
        Assert.Equal(_clock.GetUtcNow() + Retirement, keys[0].RetiresAt);
        AssertPhases(keys, SigningKeyPhase.Retiring, SigningKeyPhase.Active);
    }

    [Fact]
    public void Rotation_WhileAKeyWaits_ReplacesIt_AndDropsRetiredKeys()
    {
        var keys = Rotate([Key("first", _clock.GetUtcNow())], "second", activateNow: true);
        _clock.Advance(Retirement + TimeSpan.FromHours(1)); // "first" has retired
        keys = Rotate(keys, "third", activateNow: false);
        _clock.Advance(TimeSpan.FromHours(1));

        keys = Rotate(keys, "fourth", activateNow: false);

        Assert.Equal(["second", "fourth"], keys.Select(k => k.Modulus)); // "first" retired, "third" replaced
        Assert.Equal(_clock.GetUtcNow() + Activation + Retirement, keys[0].RetiresAt);
        AssertPhases(keys, SigningKeyPhase.Active, SigningKeyPhase.Waiting);
    }

    [Fact]
    public void EmergencySwitches_InARow_KeepEveryReplacedKeyPublished_UpToTheCap()
    {
        List<ProtectedSigningKey> keys = [Key("k0", _clock.GetUtcNow())];
        for (var i = 1; i <= SigningKeySchedule.MaxPublishedKeys + 2; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            keys = Rotate(keys, $"k{i}", activateNow: true);
        }

        Assert.Equal(SigningKeySchedule.MaxPublishedKeys, keys.Count);
        Assert.Equal($"k{SigningKeySchedule.MaxPublishedKeys + 2}", SigningKeySchedule.Active(keys, _clock.GetUtcNow()).Modulus);
        Assert.Equal("k3", keys[0].Modulus); // the oldest retiring keys left first
        Assert.All(keys.SkipLast(1), k => Assert.Equal(SigningKeyPhase.Retiring, SigningKeySchedule.PhaseOf(k, keys, _clock.GetUtcNow())));
    }

    private List<ProtectedSigningKey> Rotate(IReadOnlyList<ProtectedSigningKey> keys, string modulus, bool activateNow) =>
        SigningKeySchedule.Rotate(keys, [1, 2, 3], modulus, _clock.GetUtcNow(), Activation, Retirement, activateNow);

    private void AssertPhases(IReadOnlyList<ProtectedSigningKey> keys, params SigningKeyPhase[] phases)
    {
        Assert.Equal(phases, keys.Select(k => SigningKeySchedule.PhaseOf(k, keys, _clock.GetUtcNow())));
        var active = Array.IndexOf(phases, SigningKeyPhase.Active);
        Assert.Same(keys[active], SigningKeySchedule.Active(keys, _clock.GetUtcNow()));
    }

    private static ProtectedSigningKey Key(string modulus, DateTimeOffset at) => new([0], modulus, at, at);
}
