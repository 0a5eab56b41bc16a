using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Billing.Application.Notifications;

namespace Billing.Infrastructure.Notifications;

/// <summary>
/// The e-mail templates in <c>Notifications/Templates</c>, embedded in the assembly: for each kind a plain-text
/// and an HTML body, whose first line is <c>Subject: …</c>. Placeholders are <c>{{name}}</c>; values are
/// HTML-encoded in the HTML body, and a placeholder without a value is an error, never an empty hole.
/// </summary>
internal static partial class NotificationTemplates
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static RenderedEmail Render(NotificationKind kind, IReadOnlyDictionary<string, string> values)
    {
        var name = TemplateName(kind);
        var (subject, text) = Split(Fill(Load($"{name}.txt"), values, html: false));
        var (_, html) = Split(Fill(Load($"{name}.html"), values, html: true));
        return new RenderedEmail(subject, text, html);
    }

    public static string TemplateName(NotificationKind kind) => Snake().Replace(kind.ToString(), "$1_$2").ToLowerInvariant();

    private static string Load(string file) => Cache.GetOrAdd(file, f =>
    {
        using var stream = typeof(NotificationTemplates).Assembly.GetManifestResourceStream($"Billing.Notifications.{f}")
            ?? throw new InvalidOperationException($"The e-mail template {f} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    private static string Fill(string template, IReadOnlyDictionary<string, string> values, bool html) =>
        Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? (html ? WebUtility.HtmlEncode(value) : value)
            : throw new InvalidOperationException($"The e-mail template has a placeholder {m.Value} with no value."));

    private static (string Subject, string Body) Split(string filled)
    {
        var newline = filled.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? filled : filled[..newline];
        if (!first.StartsWith("Subject: ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("An e-mail template must start with a Subject: line.");
        }

        // A subject is one line: a value with a line break must not add headers.
        var subject = WebUtility.HtmlDecode(first["Subject: ".Length..]).ReplaceLineEndings(" ").Trim();
        return (subject, newline < 0 ? string.Empty : filled[(newline + 1)..]);
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex Snake();
}
