using System.Security.Cryptography.X509Certificates;

namespace Webhooks.Server.KeyRing;

/// <summary>The key ring as the host is composed with it: where it lives (SQLite mode) and the loaded certificates.</summary>
/// <param name="KeysFolder">The folder of the ring; null in PostgreSQL mode, where the ring is in the database.</param>
/// <param name="Certificate">Encrypts and decrypts the ring's keys; null when they are stored unencrypted.</param>
/// <param name="PreviousCertificates">Decrypt keys encrypted before a certificate rotation.</param>
internal sealed record KeyRingSettings(string? KeysFolder, X509Certificate2? Certificate, IReadOnlyList<X509Certificate2> PreviousCertificates);
