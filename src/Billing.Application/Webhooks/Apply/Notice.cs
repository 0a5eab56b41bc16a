using Billing.Application.Notifications;

namespace Billing.Application.Webhooks.Apply;

/// <summary>A notice an event asks for: what to tell, on which occasion (once per occasion and address), about which invoice.</summary>
public sealed record Notice(NotificationKind Kind, string Occasion, string? InvoiceId = null);
