namespace Webhooks.Testing;

/// <summary>
/// A listener that fails at random and checks, per resource, the order deliveries reach it in. Each event carries its
/// place among its resource's events as <c>payload.n</c> (0, 1, 2, … in the order they were published, one after
/// another). Give <see cref="Answer"/> to <see cref="TestReceiver.AnsweringEndpoint"/>.
/// </summary>
/// <remarks>
/// What ordered delivery promises, as the listener sees it: event n of a resource arrives only once n - 1 has been
/// accepted (answered 2xx), and once n has been accepted nothing before it arrives again. Event n itself may arrive
/// again after it was accepted (at-least-once: a silo that died before storing the outcome sends it again), but only
/// until n + 1 has arrived. Every breach is kept in <see cref="Violations"/>.
/// </remarks>
public sealed class ResourceOrderCheck(int resources, int eventsPerResource, double failureRate, int seed)
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, int> _accepted = new(StringComparer.Ordinal);
    private readonly List<string> _violations = [];
    private readonly TaskCompletionSource _allAccepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acceptedTotal;
    private int _repeats;

    /// <summary>
    /// Whether the order is the whole listener's rather than each resource's: <c>payload.n</c> numbers every event
    /// (whatever its resource) and counts as the events of one resource, <c>res_0</c>.
    /// </summary>
    public bool WholeListener { get; init; }

    /// <summary>The resource ids the events go to: <c>res_0</c> … .</summary>
    public IReadOnlyList<string> Resources { get; } = [.. Enumerable.Range(0, resources).Select(i => $"res_{i}")];

    public int EventsPerResource => eventsPerResource;

    /// <summary>Every breach of the order, described.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>How many times an event arrived again after it had been accepted (allowed: at-least-once).</summary>
    public int Repeats => Volatile.Read(ref _repeats);

    /// <summary>How many events have been accepted, each counted once.</summary>
    public int AcceptedTotal => Volatile.Read(ref _acceptedTotal);

    /// <summary>The highest n accepted of each resource (-1: none yet).</summary>
    public IReadOnlyDictionary<string, int> Accepted
    {
        get
        {
            lock (_gate)
            {
                return Resources.ToDictionary(r => r, r => _accepted.GetValueOrDefault(r, -1));
            }
        }
    }

    /// <summary>The payload of a resource's event number <paramref name="n"/>.</summary>
    public static object Payload(int n) => new { n };

    /// <summary>Checks one request against the order, and answers 500 at the failure rate, otherwise 200.</summary>
    public Reply Answer(ReceivedRequest request)
    {
        var body = request.Json;
        var resource = WholeListener ? Resources[0] : body.GetProperty("resourceId").GetString()!;
        var n = body.GetProperty("payload").GetProperty("n").GetInt32();
        lock (_gate)
        {
            var accepted = _accepted.GetValueOrDefault(resource, -1);
            if (n > accepted + 1)
            {
                Violated($"{resource} #{n} arrived while #{accepted + 1} was not yet accepted");
            }
            else if (n < accepted)
            {
                Violated($"{resource} #{n} arrived again after #{accepted} was accepted");
            }
            else if (n == accepted)
            {
                _repeats++;
            }

            if (_random.NextDouble() < failureRate)
            {
                return 500;
            }

            if (n == accepted + 1)
            {
                _accepted[resource] = n;
                if (++_acceptedTotal == resources * eventsPerResource)
                {
                    _allAccepted.TrySetResult();
                }
            }

            return 200;
        }
    }

    /// <summary>
    /// Completes once every event of every resource has been accepted; fails at the first violation, or with a
    /// <see cref="TimeoutException"/> after <paramref name="limit"/>.
    /// </summary>
    public async Task WaitForAllAsync(TimeSpan limit)
    {
        try
        {
            await _allAccepted.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{AcceptedTotal} of {resources * eventsPerResource} events accepted within {limit.TotalSeconds} s; by resource: "
                + string.Join(", ", Accepted.Select(a => $"{a.Key} {a.Value + 1}")) + "; violations: " + string.Join("; ", Violations.Take(10)));
        }
    }

    private void Violated(string violation)
    {
        _violations.Add(violation);
        _allAccepted.TrySetException(new InvalidOperationException("The order was broken: " + violation));
    }
}
