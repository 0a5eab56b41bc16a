using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Common;

/// <summary>An endpoint that records what is posted to it and answers with the status codes it is told to, then 200.</summary>
public sealed class WebhookRecorder : StandInHost
{
    private readonly ConcurrentQueue<int> _answers = new();

    public Uri Endpoint => new(BaseUrl, "hook");

    public void AnswerNext(params int[] statusCodes)
    {
        foreach (var code in statusCodes)
        {
            _answers.Enqueue(code);
        }
    }

    protected override void Map(WebApplication app) =>
        app.MapPost("/hook", () => Results.StatusCode(_answers.TryDequeue(out var code) ? code : 200));
}
