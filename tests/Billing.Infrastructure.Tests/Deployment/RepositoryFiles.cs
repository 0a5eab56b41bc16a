namespace Billing.Infrastructure.Tests.Deployment;

/// <summary>Files of the repository itself (the Dockerfile, deploy/, .env.example, the README), found from the test's folder.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

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
