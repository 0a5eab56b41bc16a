using System.Diagnostics;

namespace Billing.Api.Tests.Support;

/// <summary>The repository the tests run in (found from the test's folder), and npm run in one of its folders.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static async Task NpmAsync(string folder, string arguments)
    {
        using var npm = Process.Start(new ProcessStartInfo("npm", arguments) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        Assert.That(npm.ExitCode, Is.Zero, $"npm {arguments}: {await output}{await errors}");
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Billing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Billing.sln not found above the test's folder.");
    }
}
