using Billing.Application;
using Billing.Infrastructure.Persistence;
using Billing.Sandbox.Databases;
using Billing.Sandbox.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Billing.Infrastructure.Tests;

/// <summary>The Infrastructure layer on its own: AddApplication + AddInfrastructure on plain settings, no web host.</summary>
internal sealed class Adapters : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly TestDatabase _database;

    private Adapters(ServiceProvider provider, TestDatabase database)
    {
        _provider = provider;
        _database = database;
    }

    public IServiceProvider Services => _provider;

    /// <param name="replace">Registrations to change after the layers' own (a stub HTTP handler, say).</param>
    public static async Task<Adapters> CreateAsync(Database database, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? replace = null)
    {
        var store = await TestDatabase.CreateAsync(database, "infra");
        if (store is null)
        {
            Assert.Ignore(PostgresServer.Unavailable ?? "No PostgreSQL server.");
        }

        var values = new Dictionary<string, string?> { ["BILLING_DATABASE"] = store!.ConnectionString };
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
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(scope.ServiceProvider.GetRequiredService<BillingDbContext>().Database);
        }

        return new Adapters(provider, store);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _database.DisposeAsync();
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
    public Task StopAsync() => SharedPostgres.StopAsync();
}
