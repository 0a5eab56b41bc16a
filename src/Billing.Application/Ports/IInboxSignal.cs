using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Wakes the in-process inbox worker when an event arrives, so it need not wait for its next poll.</summary>
public interface IInboxSignal
{
    void Notify();
}
