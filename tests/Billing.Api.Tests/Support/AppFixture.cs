namespace Billing.Api.Tests.Support;

/// <summary>
/// A fixture with one running app for all its tests: the catalog in the Stripe stand-in, webhooks delivered to the
/// app, and an admin client. Settings of its own come from <see cref="Configure"/>.
/// </summary>
public abstract class AppFixture(Database database = Database.Sqlite)
{
    protected BillingApp App { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    protected Database Database { get; } = database;

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    [OneTimeSetUp]
    public async Task StartAppAsync()
    {
        App = await BillingApp.StartWithCatalogAsync(Database, Configure);
        Admin = App.Admin();
    }

    [OneTimeTearDown]
    public async Task StopAppAsync()
    {
        Admin.Dispose();
        await App.DisposeAsync();
    }
}
