using Billing.Application.Common;
namespace Billing.Application.Ports;

/// <summary>Wakes the in-process usage relay when usage events were accepted.</summary>
public interface IUsageSignal
{
    void Notify();
}
