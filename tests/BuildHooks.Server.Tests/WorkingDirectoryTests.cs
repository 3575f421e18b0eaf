using BuildHooks.Server.Tests.Infrastructure;

namespace BuildHooks.Server.Tests;

/// <summary>
/// `dotnet run --project src/BuildHooks.Server` from a clone starts the server in the clone's root, with its data
/// in ./data: the server must still read the appsettings.json it was built with, and must not watch that folder.
/// </summary>
public sealed class WorkingDirectoryTests
{
    [Fact]
    public async Task Started_elsewhere_with_its_data_there_the_server_reads_its_own_settings_and_watches_no_files()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("buildhooks-cwd-").FullName;
        try
        {
            // Information is appsettings.json's own default; its "Microsoft.AspNetCore": "Warning" is what keeps requests out of the log.
            var settings = new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Information" };
            await using var server = await ServerProcess.StartAsync(Path.Combine(workingDirectory, "data"), settings, workingDirectory);

            for (var i = 0; i < 5; i++)
            {
                using var response = await server.Admin.GetAsync(new Uri("/api/projects", UriKind.Relative));
                response.EnsureSuccessStatusCode();
            }

            await Task.Delay(500);
            Assert.DoesNotContain("Request finished", server.RecentOutput, StringComparison.Ordinal);
            if (OperatingSystem.IsLinux())
            {
                // A file watcher on the working directory would be woken by every write to the database inside it.
                var watches = Directory.GetFiles($"/proc/{server.Id}/fdinfo")
                    .Sum(f => File.ReadLines(f).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal)));
                Assert.Equal(0, watches);
            }
        }
        finally
        {
            // The server has stopped (disposed above), so its files can go.
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}
