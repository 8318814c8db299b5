namespace Webhooks.Testing;

/// <summary>One path of a <see cref="RawFaultReceiver"/>: its fault, and every connection the dispatcher made to it.</summary>
public sealed class FaultyEndpoint(Fault fault, Uri uri, Uri redirectTarget)
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<FaultyConnection> _connections = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _redirectsFollowed;

    public Fault Fault { get; } = fault;

    public Uri Uri { get; } = uri;

    /// <summary>Where a redirect points: a dispatcher that follows redirects would arrive here.</summary>
    public Uri RedirectTarget { get; } = redirectTarget;

    public int RedirectsFollowed => Volatile.Read(ref _redirectsFollowed);

    public IReadOnlyList<FaultyConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived and returns the connections.</summary>
    public async Task<IReadOnlyList<FaultyConnection>> WaitForRequestsAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_connections.Count >= count)
            {
                return [.. _connections];
            }

            _waiters.Add((count, done));
        }

        await done.Task.WaitAsync(WaitLimit);
        return Connections;
    }

    internal FaultyConnection Accept(string head)
    {
        var connection = new FaultyConnection(head, TimeProvider.System.GetUtcNow());
        lock (_gate)
        {
            _connections.Add(connection);
            _waiters.RemoveAll(w => _connections.Count >= w.Count && w.Done.TrySetResult());
        }

        return connection;
    }

    internal void RedirectFollowed() => Interlocked.Increment(ref _redirectsFollowed);
}

/// <summary>One request to a faulty endpoint and what became of the connection it came on.</summary>
public sealed class FaultyConnection(string head, DateTimeOffset arrivedAt)
{
    // Past the 30 s the listener waits for the dispatcher to close after it stops writing, with room to spare.
    private static readonly TimeSpan EndLimit = TimeSpan.FromSeconds(60);

    private readonly TaskCompletionSource<ConnectionEnd> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytesWritten;
    private bool _wroteEverything;

    /// <summary>The request line and headers, as received.</summary>
    public string Head { get; } = head;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    /// <summary>Completes when the connection is over: who ended it, when, and how much of the response was written.</summary>
    public Task<ConnectionEnd> Ended => _end.Task;

    /// <summary>
    /// Waits for <see cref="Ended"/>. The listener writes an endless or large body until the dispatcher hangs up,
    /// so a dispatcher that never did would leave the test waiting forever; after a minute it fails instead.
    /// </summary>
    public async Task<ConnectionEnd> WaitForEndAsync()
    {
        try
        {
            return await _end.Task.WaitAsync(EndLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The connection (arrived {ArrivedAt:O}) was still open {EndLimit.TotalSeconds} s later, with {Interlocked.Read(ref _bytesWritten)} bytes written.");
        }
    }

    internal void Wrote(int bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    internal void WroteEverything() => _wroteEverything = true;

    internal void Closed(bool byDispatcher) =>
        _end.TrySetResult(new ConnectionEnd(byDispatcher, TimeProvider.System.GetUtcNow(), Interlocked.Read(ref _bytesWritten), _wroteEverything));
}

/// <summary>How a connection to a faulty endpoint ended.</summary>
/// <param name="ClosedByDispatcher">The dispatcher closed it (within 30 s of the listener finishing or failing to write).</param>
/// <param name="At">When it ended.</param>
/// <param name="BytesWritten">How many bytes the endpoint wrote before it ended.</param>
/// <param name="WroteEverything">The endpoint wrote its whole answer.</param>
public sealed record ConnectionEnd(bool ClosedByDispatcher, DateTimeOffset At, long BytesWritten, bool WroteEverything);
