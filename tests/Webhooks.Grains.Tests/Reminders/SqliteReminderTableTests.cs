namespace Webhooks.Grains.Tests.Reminders;

/// <summary>
/// The queries of <c>002-reminders.sql</c> against the contract of the AdoNet reminder table, called directly on
/// the silo's <see cref="IReminderTable"/>. The rows point at grains that do not exist and start a day from now,
/// so the silo's reminder service never loads them.
/// </summary>
public sealed class SqliteReminderTableTests(SqliteReminderTableTests.Fixture fixture) : IClassFixture<SqliteReminderTableTests.Fixture>
{
    private static readonly GrainType ProbeType = GrainType.Create("reminder-table-probe");

    private IReminderTable Table => fixture.Cluster.ReminderTable;

    [Fact]
    public async Task Upsert_InsertsAtVersionZero_ThenEachUpdateTakesTheNextVersion()
    {
        var grainId = NewGrainId();
        var startAt = Tomorrow();

        Assert.Equal("0", await Table.UpsertRow(Entry(grainId, "r", startAt, TimeSpan.FromMinutes(5))));
        Assert.Equal("1", await Table.UpsertRow(Entry(grainId, "r", startAt.AddMinutes(1), TimeSpan.FromMinutes(7))));

        var read = await Table.ReadRow(grainId, "r");
        Assert.NotNull(read);
        Assert.Equal(grainId, read.GrainId);
        Assert.Equal("r", read.ReminderName);
        Assert.Equal("1", read.ETag);
        Assert.Equal(TimeSpan.FromMinutes(7), read.Period);
        Assert.Equal(startAt.AddMinutes(1), read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
    }

    [Fact]
    public async Task ReadRow_OfAnUnknownReminder_IsNull()
    {
        var grainId = NewGrainId();
        await Table.UpsertRow(Entry(grainId, "known", Tomorrow(), TimeSpan.FromMinutes(5)));

        Assert.Null(await Table.ReadRow(grainId, "unknown"));
        Assert.Null(await Table.ReadRow(NewGrainId(), "known"));
    }

    [Fact]
    public async Task ReadRows_OfAGrain_ReturnsItsRemindersOnly()
    {
        var grainId = NewGrainId();
        await Table.UpsertRow(Entry(grainId, "a", Tomorrow(), TimeSpan.FromMinutes(5)));
        await Table.UpsertRow(Entry(grainId, "b", Tomorrow(), TimeSpan.FromMinutes(5)));
        await Table.UpsertRow(Entry(NewGrainId(), "a", Tomorrow(), TimeSpan.FromMinutes(5)));

        var rows = await Table.ReadRows(grainId);

        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(grainId, r.GrainId));
    }

    [Fact]
    public async Task RemoveRow_SucceedsOnlyWithTheCurrentETag()
    {
        var grainId = NewGrainId();
        var first = await Table.UpsertRow(Entry(grainId, "r", Tomorrow(), TimeSpan.FromMinutes(5)));
        var current = await Table.UpsertRow(Entry(grainId, "r", Tomorrow(), TimeSpan.FromMinutes(6)));

        Assert.False(await Table.RemoveRow(grainId, "r", first!));
        Assert.NotNull(await Table.ReadRow(grainId, "r"));

        Assert.True(await Table.RemoveRow(grainId, "r", current!));
        Assert.Null(await Table.ReadRow(grainId, "r"));

        Assert.False(await Table.RemoveRow(grainId, "r", current!));
    }

    [Fact]
    public async Task ReadRows_OfARingRange_ExcludesItsBeginAndIncludesItsEnd()
    {
        // Enough grains that their hashes land on both sides of 2^31, where the signed form the provider binds flips sign.
        var grains = Enumerable.Range(0, 64).Select(_ => NewGrainId()).ToList();
        foreach (var grainId in grains)
        {
            await Table.UpsertRow(Entry(grainId, "ring", Tomorrow(), TimeSpan.FromMinutes(5)));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var lastLow = Array.FindLastIndex(hashes, h => h < 0x8000_0000u);
        Assert.InRange(lastLow, 3, hashes.Length - 5);

        (uint Begin, uint End)[] ranges =
        [
            (hashes[1], hashes[lastLow - 1]),                  // below 2^31
            (hashes[lastLow + 1], hashes[^2]),                 // above 2^31
            (hashes[lastLow - 2], hashes[lastLow + 3]),        // across 2^31: wraps in the signed form only
            (hashes[^3], hashes[2]),                           // across 2^32: wraps in the unsigned form only
            (hashes[lastLow + 2], hashes[lastLow - 1]),        // wraps in both forms
            (hashes[5], hashes[5]),                            // the whole ring
            (0, uint.MaxValue),
            (uint.MaxValue, 0),
        ];
        foreach (var (begin, end) in ranges)
        {
            var expected = grains.Where(g => InRing(g.GetUniformHashCode(), begin, end)).Select(g => g.ToString()).Order();
            var read = await Table.ReadRows(begin, end);
            var actual = read.Reminders.Where(r => grains.Contains(r.GrainId)).Select(r => r.GrainId.ToString()).Order();
            Assert.True(expected.SequenceEqual(actual), $"Range ({begin:X8}, {end:X8}] returned the wrong reminders.");
        }
    }

    [Fact]
    public async Task ClearTable_RemovesTheRemindersOfTheServiceOnly()
    {
        // A row of another service, written straight into the file.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(fixture.Deployment.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                VALUES ('another-service', 'some/grain', 'r', '2030-01-01 00:00:00', 60000, 0, 0);
                """;
            command.ExecuteNonQuery();
        }

        await Table.UpsertRow(Entry(NewGrainId(), "r", Tomorrow(), TimeSpan.FromMinutes(5)));

        await Table.TestOnlyClearTable();

        Assert.Equal(["another-service"], fixture.Deployment.ReadStoredReminders().Select(r => r.ServiceId));
    }

    // Orleans' ring: (begin, end], wrapping past uint.MaxValue; begin == end is the whole ring.
    private static bool InRing(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static GrainId NewGrainId() => GrainId.Create(ProbeType, Guid.NewGuid().ToString("N"));

    private static DateTime Tomorrow() => DateTime.UtcNow.AddDays(1);

    private static ReminderEntry Entry(GrainId grainId, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grainId, ReminderName = name, StartAt = startAt, Period = period };

    public sealed class Fixture : IAsyncLifetime
    {
        private ReminderCluster? _cluster;

        internal ReminderDeployment Deployment { get; } = new();

        internal ReminderCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

        public async Task InitializeAsync() => _cluster = await Deployment.StartClusterAsync();

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            Deployment.Dispose();
        }
    }
}
