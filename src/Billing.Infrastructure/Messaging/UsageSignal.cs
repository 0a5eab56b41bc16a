using Billing.Application.Common.Ports;

namespace Billing.Infrastructure.Messaging;

internal sealed class UsageSignal : WorkSignal, IUsageSignal;
