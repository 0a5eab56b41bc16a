namespace Billing.Application.Common;

public static class Urls
{
    /// <summary>Appends a query pair whatever the URL already holds: a query, a trailing '?' or '&amp;', or a fragment.</summary>
    public static string WithQuery(string url, string pair)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash >= 0 ? url[hash..] : string.Empty;
        var head = hash >= 0 ? url[..hash] : url;
        var separator = !head.Contains('?', StringComparison.Ordinal) ? "?" : head.EndsWith('?') || head.EndsWith('&') ? string.Empty : "&";
        return head + separator + pair + fragment;
    }
}
