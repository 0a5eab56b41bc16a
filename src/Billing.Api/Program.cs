using Billing.Api;
using Billing.Application;
using Billing.Infrastructure;

// The app's own folder is the content root, so appsettings.json is found from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services
    .AddApplication()
    .AddInfrastructure()
    .AddApi();

var app = builder.Build();

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(app, args);
}

app.UseApi();
await app.RunAsync();
return 0;

/// <summary>Entry point, public so the HTTP tests can host it.</summary>
public partial class Program;
