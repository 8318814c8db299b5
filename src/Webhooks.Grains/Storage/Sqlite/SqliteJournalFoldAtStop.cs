using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Storage.Sqlite;

/// <summary>
/// Folds the delivery log's journal when the silo stops, after its grains have saved for the last time: a file left by a
/// clean stop holds the whole log in <c>WebhooksDeliveries</c>, which is what an operator's query or an older version
/// reads. After a crash the journal keeps what was committed, and the next fold applies it.
/// </summary>
internal sealed class SqliteJournalFoldAtStop(IOptions<StorageOptions> options, IServiceProvider services) : ILifecycleParticipant<ISiloLifecycle>
{
    // Stopped after the grains (deactivated at a later stage) and before the writer is disposed with the container.
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SqliteJournalFoldAtStop), ServiceLifecycleStage.RuntimeStorageServices, _ => Task.CompletedTask, FoldAsync);

    private Task FoldAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Provider != StorageProvider.Sqlite)
        {
            return Task.CompletedTask;
        }

        var journal = services.GetRequiredService<SqliteDeliveryJournal>();
        return services.GetRequiredService<SqliteWriter>().ExecuteAsync(s =>
        {
            journal.Fold(s);
            return true;
        });
    }
}
