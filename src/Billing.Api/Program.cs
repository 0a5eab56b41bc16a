using Billing.Api;
using Billing.Application;
using Billing.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure()
    .AddApi();

var app = builder.Build();

if (CatalogCommand.IsCatalogCommand(args))
{
    return await CatalogCommand.RunAsync(app, args);
}

app.UseApi();
await app.RunAsync();
return 0;

/// <summary>Entry point, public so the HTTP tests can host it.</summary>
public partial class Program;
