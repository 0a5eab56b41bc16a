namespace Billing.Api.Tests;

/// <summary>
/// Once for the whole assembly (a set-up fixture applies to its namespace and those below it, so it stands in the
/// root namespace of the tests): stops the run's shared PostgreSQL server at the end.
/// </summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public Task StopPostgresAsync() => Billing.Sandbox.Databases.SharedPostgres.StopAsync();
}
