using Billing.Application.Ports;

namespace Billing.Infrastructure.Messaging;

internal sealed class UsageSignal : WorkSignal, IUsageSignal;
