namespace BuildHooks.Web.Tests.Infrastructure;

/// <summary>
/// A browser test. Without Chromium it is skipped on a developer's machine, with a message saying how to get
/// it; on CI (CI=true) it runs and fails, so a missing install step cannot pass unnoticed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Missing && !Chromium.InCi)
        {
            Skip = $"Chromium is not installed at {Chromium.Path}; run 'apt-get install -y chromium' to run the browser tests (CI fails without it).";
        }
    }
}
