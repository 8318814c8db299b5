namespace Webhooks.Grains.Storage;

/// <summary>The storage-specific half of a <see cref="GroupCommit{TWrite}"/>: how one batch of writes is stored.</summary>
internal interface IGroupCommitFlush<in TWrite>
{
    /// <summary>
    /// Stores <paramref name="batch"/> in one transaction; returns null once it is committed, else the failure, in
    /// which case nothing of the batch is stored.
    /// </summary>
    ValueTask<Exception?> TryFlushAsync(IReadOnlyList<TWrite> batch);

    /// <summary>Whether <paramref name="failure"/> can be one write's fault, so each write of the batch is tried again alone.</summary>
    bool IsWriteFault(Exception failure);

    /// <summary>Reports that a batch of <paramref name="count"/> writes failed and its writes are tried again alone.</summary>
    void BatchFailed(Exception failure, int count);
}
