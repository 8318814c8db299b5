using Microsoft.Extensions.Logging;
using Webhooks.Receiving.Verification;

namespace Webhooks.Receiving;

/// <summary>The receiver's log lines. Secrets, signatures and bodies are never logged.</summary>
internal static partial class ReceiverLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Refused a delivery ({Reason}): {Detail}")]
    public static partial void Refused(ILogger logger, RejectionReason reason, string detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The handler failed on attempt {CallAttempt} of event {EventId} ({EventCode}); answered 500 so it is retried")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string eventId, string eventCode, int callAttempt);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Could not fetch the key set {KeySetUri}: {Error}")]
    public static partial void KeySetFetchFailed(ILogger logger, Uri keySetUri, string error);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Fetched the key set {KeySetUri}: {KeyCount} keys")]
    public static partial void KeySetFetched(ILogger logger, Uri keySetUri, int keyCount);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Refused the dispatcher's signature probe ({Reason}), as a receiver should")]
    public static partial void ProbeRefused(ILogger logger, RejectionReason reason);
}
