namespace Billing.Infrastructure.Messaging;

internal sealed class InboxSignal : WorkSignal, Application.Common.Ports.IInboxSignal;
