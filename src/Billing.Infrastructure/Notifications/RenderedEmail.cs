namespace Billing.Infrastructure.Notifications;

internal sealed record RenderedEmail(string Subject, string Text, string Html);
