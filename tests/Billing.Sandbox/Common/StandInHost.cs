using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Sandbox.Common;

/// <summary>
/// A counterpart served by Kestrel on 127.0.0.1, so clients reach it over real HTTP exactly as they reach the
/// real service. Every request is recorded, and faults can be injected before the protocol runs.
/// </summary>
public abstract class StandInHost : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public RequestLog Requests { get; } = new();

    public FaultPlan Faults { get; } = new();

    /// <summary>The part of the request path the request log and faults apply to (for example "/v1/").</summary>
    protected virtual string ProtocolPathPrefix => "/";

    public async Task StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddRouting();
        ConfigureServices(builder.Services);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // The Date of an answer is the second it was given, as real servers stamp it (Kestrel's own is cached up
            // to a second behind, which would date an answer before the change it shows).
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Date = DateTimeOffset.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            if (!context.Request.Path.StartsWithSegments("/_sandbox", StringComparison.Ordinal) &&
                context.Request.Path.Value!.StartsWith(ProtocolPathPrefix, StringComparison.Ordinal))
            {
                var recorded = await Requests.RecordAsync(context);
                context.Response.OnStarting(() =>
                {
                    recorded.Status = context.Response.StatusCode;
                    return Task.CompletedTask;
                });
                if (await Faults.TryApplyAsync(context))
                {
                    return;
                }
            }

            try
            {
                await next(context);
            }
            catch (Exception e)
            {
                // A stand-in's own bug would otherwise be a bare 500: say where it broke.
                await Console.Error.WriteLineAsync($"{GetType().Name} failed on {context.Request.Method} {context.Request.Path}: {e}");
                throw;
            }
        });
        Map(app);
        app.MapGet("/_sandbox/requests", () => Results.Json(Requests.All));
        app.MapDelete("/_sandbox/requests", () =>
        {
            Requests.Clear();
            return Results.NoContent();
        });
        app.MapPost("/_sandbox/faults", (FaultRequest request) =>
        {
            Faults.Add(request);
            return Results.NoContent();
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
        OnStarted();
    }

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected virtual void OnStarted()
    {
    }

    /// <summary>Stops what the stand-in runs beside its HTTP server (the SMTP listener, say).</summary>
    protected virtual ValueTask OnStoppingAsync() => ValueTask.CompletedTask;

    protected abstract void Map(WebApplication app);

    public async ValueTask DisposeAsync()
    {
        await OnStoppingAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        GC.SuppressFinalize(this);
    }
}
