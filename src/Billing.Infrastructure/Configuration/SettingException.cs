using Billing.Application.Common;

namespace Billing.Infrastructure.Configuration;

/// <summary>A setting of an adapter that is missing or wrong; the message names it, never its value.</summary>
public sealed class SettingException(string setting, string problem) : InvalidSettingException(setting, problem);
