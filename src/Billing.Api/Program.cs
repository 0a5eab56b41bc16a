using Billing.Api;
using Billing.Application;
using Billing.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddApplication()
    .AddInfrastructure()
    .AddApi();

var app = builder.Build();
app.UseApi();
await app.RunAsync();

/// <summary>Entry point, public so the HTTP tests can host it.</summary>
public partial class Program;
