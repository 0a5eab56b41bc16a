using System.Diagnostics;
using Billing.Sandbox.Postgres;

namespace Billing.Sandbox.Tests;

/// <summary>A throw-away PostgreSQL server never outlives the test run that started it.</summary>
public sealed class PostgresServerTests
{
    [Test]
    public async Task A_server_stops_and_its_data_is_removed_when_its_owner_dies()
    {
        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            Assert.Ignore("This test starts a server of its own from the machine's PostgreSQL binaries.");
        }

        using var owner = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        await using var server = (await PostgresServer.StartAsync(ownerProcessId: owner.Id, ownServer: true))!;
        var runningBefore = await server.IsRunningAsync();

        owner.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await server.IsRunningAsync() || Directory.Exists(server.DataDirectory)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.That(runningBefore, Is.True);
        Assert.That(await server.IsRunningAsync(), Is.False, "the watchdog stopped the server");
        Assert.That(Directory.Exists(server.DataDirectory), Is.False, "and removed its data");
    }
}
