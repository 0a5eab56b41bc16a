using Billing.Application.Common.Results;
using Billing.Application.Ports;
using FluentValidation;
using Mediator;

namespace Billing.Application.Webhooks.SetUp;

/// <summary>
/// <c>webhooks setup --url …</c>: the provider's webhook endpoint for this URL sends exactly the events the service
/// handles, in the API version it parses. Created when missing (its signing secret shown once, in the report, never
/// logged), updated when its events or its enabled state differ; an endpoint in another API version cannot be
/// changed to this one, so a new one is created beside it and the report names the old one to delete. A second run
/// changes nothing; <see cref="DryRun"/> only says what would change.
/// </summary>
public sealed record SetUpWebhookEndpoint(string? Url, bool DryRun) : ICommand<Result<WebhookSetupReport>>;

public sealed record WebhookSetupReport(bool DryRun, string Url, IReadOnlyList<string> Changes, string? EndpointId, string? SigningSecret, IReadOnlyList<string> ToDelete)
{
    public bool UpToDate => Changes.Count == 0;
}

public sealed class SetUpWebhookEndpointValidator : AbstractValidator<SetUpWebhookEndpoint>
{
    public SetUpWebhookEndpointValidator() =>
        RuleFor(x => x.Url)
            .Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("--url is required: the public address of POST /api/v1/billing/webhooks/stripe.")
            .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !uri.IsLoopback)
            .WithMessage("--url must be a public https address; for a service on this machine use `stripe listen --forward-to` instead.")
            .OverridePropertyName("url");
}

public sealed class SetUpWebhookEndpointHandler(IWebhookEndpointGateway endpoints) : ICommandHandler<SetUpWebhookEndpoint, Result<WebhookSetupReport>>
{
    public async ValueTask<Result<WebhookSetupReport>> Handle(SetUpWebhookEndpoint command, CancellationToken cancellationToken)
    {
        var url = command.Url!;
        var listed = await endpoints.ListWebhookEndpointsAsync(cancellationToken);
        if (!listed.IsSuccess)
        {
            return listed.Error!;
        }

        var atUrl = listed.Value.Where(e => e.Url == url).ToList();
        var current = atUrl.FirstOrDefault(e => e.SpeaksPinnedVersion);
        var stale = atUrl.Where(e => !e.SpeaksPinnedVersion).ToList();
        var toDelete = stale.Select(e => $"{e.Id} (API version {e.ApiVersion ?? "the account's default"})").ToList();
        if (current is null)
        {
            var why = stale.Count == 0 ? "none delivers to this URL" : $"the endpoint(s) there speak another API version, which Stripe cannot change";
            var change = $"create an endpoint for {url} in API version {endpoints.PinnedApiVersion} with exactly the handled events ({why})";
            if (command.DryRun)
            {
                return new WebhookSetupReport(true, url, [change], null, null, toDelete);
            }

            var created = await endpoints.CreateWebhookEndpointAsync(url, cancellationToken);
            return created.Map(e => new WebhookSetupReport(false, url, [change], e.Id, e.Secret, toDelete));
        }

        var changes = new List<string>();
        if (current.MissingEvents.Count > 0)
        {
            changes.Add($"add {string.Join(", ", current.MissingEvents)} to {current.Id}");
        }

        if (current.ExtraEvents.Count > 0)
        {
            changes.Add($"stop sending {string.Join(", ", current.ExtraEvents)} to {current.Id}");
        }

        if (!current.Enabled)
        {
            changes.Add($"enable {current.Id}");
        }

        if (changes.Count == 0 || command.DryRun)
        {
            return new WebhookSetupReport(command.DryRun, url, changes, current.Id, null, toDelete);
        }

        var updated = await endpoints.UpdateWebhookEndpointAsync(current.Id, cancellationToken);
        return updated.Map(e => new WebhookSetupReport(false, url, changes, e.Id, null, toDelete));
    }
}
