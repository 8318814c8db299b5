using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// The silo's one writing connection to the SQLite file, with group commit across every grain.
/// </summary>
/// <remarks>
/// SQLite admits one writer at a time. With a connection per write, concurrent writers would queue on the file
/// lock, and Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping before it retries, so under load a write would
/// spend most of its time asleep. Here every write of the silo is queued to one thread that owns one
/// connection; whatever is queued when it comes round is executed in one transaction, committed with one
/// fsync, and only then are the writers' tasks completed. A write is acknowledged only once it is on disk; it
/// shares the disk flush with its neighbours.
/// </remarks>
public sealed partial class SqliteWriter : IDisposable
{
    private const int MaxBatch = 512;

    // Reads run on the callers' threads; more than this many idle reading connections are closed, not kept.
    private const int MaxIdleReaders = 8;

    // Not a Channel: its waiter is woken through the thread pool, and under load the pool's queue delays every
    // batch. The writer thread waits on an event the producers set themselves.
    private readonly ConcurrentQueue<SqliteWrite> _queue = new();
    private readonly ManualResetEventSlim _queued = new();
    private readonly ConcurrentBag<Reader> _readers = [];
    private volatile bool _stopping;
    private volatile bool _ended;
    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Lock _startGate = new();
    private Thread? _thread;
    private long _commits;

    public SqliteWriter(IOptions<StorageOptions> options, ILogger<SqliteWriter> logger)
    {
        _connectionString = options.Value.ConnectionString;
        _logger = logger;
    }

    /// <summary>Runs <paramref name="work"/> inside the next batch's transaction; completes once that batch is committed.</summary>
    public Task<T> ExecuteAsync<T>(Func<SqliteStatements, T> work)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var write = new SqliteWrite<T>(work);
        _queue.Enqueue(write);
        EnsureStarted();
        _queued.Set();
        if (_ended)
        {
            FailQueued(); // Dispose ran between the check above and the enqueue: no writer is left to run this write
        }

        return write.Task;
    }

    /// <summary>Transactions committed so far: fewer than the writes when writes share commits.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Runs <paramref name="sql"/> (positional parameters <c>$1</c>, <c>$2</c>, …) on a reading connection of its
    /// own and hands the rows to <paramref name="read"/>. WAL mode lets reads run beside the writer. Reading
    /// connections are kept open with their statements prepared: every publish reads once, and opening a
    /// connection and parsing the query each time costs more than the read.
    /// </summary>
    public T Read<T>(string sql, Func<SqliteDataReader, T> read, params ReadOnlySpan<object?> parameters)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var reader = _readers.TryTake(out var idle) ? idle : Reader.Open(_connectionString);
        T result;
        try
        {
            result = reader.Statements.Query(sql, read, parameters);
        }
        catch
        {
            reader.Dispose(); // whatever went wrong, the next read starts on a fresh connection
            throw;
        }

        if (_stopping || _readers.Count >= MaxIdleReaders)
        {
            reader.Dispose();
        }
        else
        {
            _readers.Add(reader);
        }

        return result;
    }

    public void Dispose()
    {
        _stopping = true;
        _queued.Set();
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }

        // A continuation of the last write may be what is disposing us, running on the writer thread itself.
        if (_thread is { } thread && thread != Thread.CurrentThread)
        {
            thread.Join();
        }
    }

    private void EnsureStarted()
    {
        if (_thread is not null)
        {
            return;
        }

        lock (_startGate)
        {
            if (_thread is null)
            {
                var thread = new Thread(Run) { IsBackground = true, Name = "Webhooks SQLite writer" };
                thread.Start();
                _thread = thread;
            }
        }
    }

    private void Run()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        SqliteStatements.WaitWhenBusy(connection);
        using var statements = new SqliteStatements(connection);
        var batch = new List<SqliteWrite>(MaxBatch);
        while (true)
        {
            // Reset before draining: a write queued after the reset sets the event again, so none is missed.
            _queued.Wait();
            _queued.Reset();
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var write))
            {
                batch.Add(write);
            }

            // More is waiting: come straight back. So too when stopping: Dispose's wake-up may be the one this batch
            // consumed, and the writer must come round to an empty queue to end, or Dispose's Join waits forever.
            if (batch.Count == MaxBatch || _stopping)
            {
                _queued.Set();
            }

            if (batch.Count == 0)
            {
                if (_stopping)
                {
                    _ended = true;
                    FailQueued();
                    return;
                }

                continue;
            }

            if (!TryCommit(statements, batch, out var failure))
            {
                if (batch.Count == 1)
                {
                    batch[0].Fail(failure!);
                    continue;
                }

                // One bad write must not sink its neighbours: run each alone to find out which fails.
                LogBatchFailed(_logger, failure!, batch.Count);
                foreach (var write in batch)
                {
                    if (!TryCommit(statements, [write], out var own))
                    {
                        write.Fail(own!);
                    }
                }
            }
        }
    }

    /// <summary>Fails the writes queued after the writer ended, which would otherwise never complete.</summary>
    private void FailQueued()
    {
        while (_queue.TryDequeue(out var write))
        {
            write.Fail(new ObjectDisposedException(nameof(SqliteWriter)));
        }
    }

    private bool TryCommit(SqliteStatements statements, List<SqliteWrite> batch, out Exception? failure)
    {
        try
        {
            statements.Begin();
            foreach (var write in batch)
            {
                write.Run(statements);
            }

            statements.Commit();
            Interlocked.Increment(ref _commits);
        }
        catch (Exception ex)
        {
            statements.Rollback();
            failure = ex;
            return false;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }

        failure = null;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} SQLite writes failed; retrying each on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    /// <summary>A reading connection and its prepared statements; used by one caller at a time.</summary>
    private sealed class Reader(SqliteConnection connection) : IDisposable
    {
        public SqliteStatements Statements { get; } = new(connection);

        public static Reader Open(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                SqliteStatements.WaitWhenBusy(connection);
                return new Reader(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            Statements.Dispose();
            connection.Dispose();
        }
    }

    private abstract class SqliteWrite
    {
        public abstract void Run(SqliteStatements statements);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class SqliteWrite<T>(Func<SqliteStatements, T> work) : SqliteWrite
    {
        // Continuations are not forced onto the thread pool: a grain's await resumes on its own activation's
        // scheduler anyway, and an extra hop through a busy pool only delays each write.
        private readonly TaskCompletionSource<T> _done = new();
        private T _result = default!;

        public Task<T> Task => _done.Task;

        public override void Run(SqliteStatements statements) => _result = work(statements);

        public override void Complete() => _done.TrySetResult(_result);

        public override void Fail(Exception exception) => _done.TrySetException(exception);
    }
}
