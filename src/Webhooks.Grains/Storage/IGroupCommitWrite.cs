namespace Webhooks.Grains.Storage;

/// <summary>A write queued in a <see cref="GroupCommit{TWrite}"/>: completed once the batch it went in is committed, or failed.</summary>
internal interface IGroupCommitWrite
{
    /// <summary>Completes the writer's task: the write is stored.</summary>
    void Complete();

    /// <summary>Fails the writer's task: nothing of the write is stored.</summary>
    void Fail(Exception exception);
}
