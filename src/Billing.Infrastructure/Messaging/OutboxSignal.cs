using Billing.Application.Ports;
using Billing.Application.AccountSync.Deliver;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.Infrastructure.Messaging;

internal sealed class OutboxSignal : WorkSignal, IOutboxSignal;
