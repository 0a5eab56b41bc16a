using Billing.Api;
using Billing.Application;
using Billing.Infrastructure;

if (HealthProbe.IsProbe(args))
{
    return await HealthProbe.RunAsync();
}

// The app's own folder is the content root, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services
    .AddApplication()
    .AddInfrastructure()
    .AddApi(builder.Configuration);

// A bad setting ends the start with one line naming it, and exit code StartupFailure.ExitCode.
return await StartupFailure.GuardAsync(async () =>
{
    var app = builder.Build();
    app.CheckAllSettings();
    if (CommandLine.IsCommand(args))
    {
        return await CommandLine.RunAsync(app, args);
    }

    await app.Services.PrepareDatabaseAsync();
    app.UseApi();
    await app.RunAsync();
    return 0;
});

/// <summary>Entry point, public so the HTTP tests can host it.</summary>
public partial class Program;
