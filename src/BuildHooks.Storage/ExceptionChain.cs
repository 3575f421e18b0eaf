namespace BuildHooks.Storage;

/// <summary>EF Core wraps what the database threw; what a write failed on may be anywhere down the chain.</summary>
public static class ExceptionChain
{
    public static bool Any(Exception exception, Func<Exception, bool> match) => First(exception, match) is not null;

    /// <summary>The first exception of type <typeparamref name="T"/> down the chain: EF Core and Npgsql wrap the database's own.</summary>
    public static T? Find<T>(Exception exception) where T : Exception => (T?)First(exception, e => e is T);

    private static Exception? First(Exception exception, Func<Exception, bool> match)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (match(e))
            {
                return e;
            }
        }

        return null;
    }
}
