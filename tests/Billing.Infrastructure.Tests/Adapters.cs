using Billing.Application;
using Billing.Infrastructure.Persistence;
using Billing.Sandbox.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Billing.Infrastructure.Tests;

public enum Database
{
    Sqlite,
    Postgres,
}

/// <summary>The Infrastructure layer on its own: AddApplication + AddInfrastructure on plain settings, no web host.</summary>
internal sealed class Adapters : IAsyncDisposable
{
    private static readonly SemaphoreSlim PostgresGate = new(1, 1);
    private static PostgresServer? _postgres;
    private readonly ServiceProvider _provider;
    private readonly string? _sqliteFile;

    private Adapters(ServiceProvider provider, string? sqliteFile)
    {
        _provider = provider;
        _sqliteFile = sqliteFile;
    }

    public IServiceProvider Services => _provider;

    public static async Task<Adapters> CreateAsync(Database database, Dictionary<string, string?>? settings = null)
    {
        string? file = null;
        string connection;
        if (database == Database.Postgres)
        {
            await PostgresGate.WaitAsync();
            try
            {
                _postgres ??= await PostgresServer.StartAsync();
            }
            finally
            {
                PostgresGate.Release();
            }

            if (_postgres is null)
            {
                Assert.Ignore(PostgresServer.Unavailable ?? "No PostgreSQL server.");
            }

            connection = await _postgres!.CreateDatabaseAsync("infra");
        }
        else
        {
            file = Path.Combine(Path.GetTempPath(), $"billing-infra-{Guid.NewGuid():N}.db");
            connection = $"Data Source={file}";
        }

        var values = new Dictionary<string, string?> { ["BILLING_DATABASE"] = connection };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new TestEnvironment())
            .AddLogging();
        services.AddApplication().AddInfrastructure();
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(scope.ServiceProvider.GetRequiredService<BillingDbContext>().Database);
        }

        return new Adapters(provider, file);
    }

    public static async Task StopPostgresAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _postgres = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(_sqliteFile);
        }
    }

    private sealed class TestEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "Billing.Infrastructure.Tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}

[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public Task StopAsync() => Adapters.StopPostgresAsync();
}
