namespace Webhooks.Testing;

/// <summary>One answer of a <see cref="ScriptedEndpoint"/>.</summary>
/// <param name="Status">The status code.</param>
/// <param name="RetryAfter">A raw <c>Retry-After</c> value to send with it.</param>
public sealed record Reply(int Status, string? RetryAfter = null)
{
    public static implicit operator Reply(int status) => new(status);
}

/// <summary>One listener target of a <see cref="TestReceiver"/>, a path of its own: what it received, and what it answers next.</summary>
public sealed class ScriptedEndpoint
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _received = [];
    private readonly List<(Func<IReadOnlyList<ReceivedRequest>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private Queue<Reply> _script;
    private Reply _last;
    private Func<ReceivedRequest, Reply>? _judge;

    internal ScriptedEndpoint(Uri uri, Reply[] script, Func<ReceivedRequest, Reply>? answer = null)
    {
        Uri = uri;
        _script = new Queue<Reply>(script);
        _last = script.Length > 0 ? script[^1] : 200;
        _judge = answer;
    }

    public Uri Uri { get; }

    public IReadOnlyList<ReceivedRequest> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The requests that carried <paramref name="eventId"/>, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Of(string eventId) => [.. Received.Where(r => r.EventId == eventId)];

    /// <summary>Replaces the script: the next requests get <paramref name="replies"/>, the last one ever after.</summary>
    public void AnswerNext(params Reply[] replies)
    {
        lock (_gate)
        {
            _script = new Queue<Reply>(replies);
            _last = replies[^1];
        }
    }

    /// <summary>From now on, each request gets what <paramref name="judge"/> makes of it (a listener that checks signatures, say), instead of the script.</summary>
    public void AnswerWith(Func<ReceivedRequest, Reply> judge)
    {
        lock (_gate)
        {
            _judge = judge;
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests carrying <paramref name="eventId"/> have arrived and returns them.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string eventId, int count = 1)
    {
        await WaitUntilAsync(all => all.Count(r => r.EventId == eventId) >= count, $"{count} request(s) of {eventId}");
        return Of(eventId);
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived, whatever they carried.</summary>
    public Task WaitForCountAsync(int count) => WaitUntilAsync(all => all.Count >= count, $"{count} request(s)");

    internal Reply Receive(ReceivedRequest request)
    {
        lock (_gate)
        {
            _received.Add(request);
            _waiters.RemoveAll(w => w.Condition(_received) && w.Done.TrySetResult());
            return _judge is { } judge ? judge(request) : _script.TryDequeue(out var next) ? next : _last;
        }
    }

    private async Task WaitUntilAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_received))
            {
                return;
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Uri.AbsolutePath} did not receive {what} within {WaitLimit.TotalSeconds} s; it received {Received.Count}.");
        }
    }
}
