namespace BuildHooks.Storage;

/// <summary>EF Core wraps what the database threw; what a write failed on may be anywhere down the chain.</summary>
public static class ExceptionChain
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

    /// <summary>The first exception of type <typeparamref name="T"/> down the chain: EF Core and Npgsql wrap the database's own.</summary>
    public static T? Find<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
