namespace BuildHooks.Storage;

/// <summary>EF Core wraps what the database threw; what a write failed on may be anywhere down the chain.</summary>
internal static class ExceptionChain
{
    public static bool Any(Exception exception, Func<Exception, bool> match)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (match(e))
            {
                return true;
            }
        }

        return false;
    }
}
