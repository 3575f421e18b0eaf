namespace BuildHooks.Storage.Retention;

/// <summary>Deletes finished deliveries completed before a cutoff, with their attempts, a small batch at a time.</summary>
public interface IDeliveryPruner
{
    /// <summary>
    /// Deletes the next batch with ids above <paramref name="afterId"/>. Returns the last id looked at and how
    /// many deliveries were deleted; a last id of null means the table has been walked to its end.
    /// </summary>
    Task<(long? LastId, int Deleted)> PruneBatchAsync(long afterId, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
