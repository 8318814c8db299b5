using System.ComponentModel.DataAnnotations;

namespace Webhooks.Api.Deliveries;

/// <summary>
/// The body of <c>recover</c>: re-queue failed deliveries created at or after <see cref="Since"/> and, when
/// <see cref="Until"/> is given, before it (the end is exclusive).
/// </summary>
public sealed record RecoverRequest([property: Required] DateTimeOffset? Since, DateTimeOffset? Until = null);
