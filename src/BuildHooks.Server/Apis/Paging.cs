namespace BuildHooks.Server.Apis;

/// <summary>Lists are newest first, <c>limit</c> rows (default 50, at most 500), continuing below id <c>before</c>.</summary>
internal static class Paging
{
    public static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, 500);

    public static long Before(long? before) => before is > 0 ? before.Value : long.MaxValue;
}
