namespace Billing.Infrastructure.Messaging;

internal sealed class InboxSignal : WorkSignal, Application.Ports.IInboxSignal;
