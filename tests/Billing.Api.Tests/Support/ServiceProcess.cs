using System.Diagnostics;

namespace Billing.Api.Tests.Support;

/// <summary>The service as built beside these tests, run as an operator runs it: its own process, another working directory.</summary>
public static class ServiceProcess
{
    public static string Assembly()
    {
        // The same configuration (Debug or Release) these tests were built in.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Billing.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "src", "Billing.Api", "bin", configuration, "net10.0", "Billing.Api.dll");
    }

    /// <summary>
    /// Runs the service with these settings (a throw-away SQLite database unless they name one) and returns its exit
    /// code and everything it printed. One that is still running after a minute is stopped, and says so by its code.
    /// </summary>
    public static async Task<(int Exit, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var database = Path.Combine(Path.GetTempPath(), $"billing-process-{Guid.NewGuid():N}.db");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Assembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BILLING_DATABASE"] = $"Data Source={database}";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            return (process.ExitCode, await output + await error);
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
