using System.Globalization;
using System.Text;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Request bodies a broken client, a proxy or an attacker might send: random bytes, JSON fragments, deep
/// nesting, and objects with the API's field names holding values of every type and range. Seeded, so a
/// failure can be replayed.
/// </summary>
public sealed class ApiGarbage(int seed)
{
    private static readonly string[] Fields =
    [
        "name", "repository", "selected_branch", "html_url", "clone_url",
        "url", "format", "content_type", "triggers", "branches", "enabled", "max_attempts", "timeout_seconds", "headers",
        "number", "commit", "author", "committer", "message", "branch", "status", "result", "started_at", "finished_at",
        "commit_url", "compare_url", "since",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "x", "pass", "fail", "error", "running", "nope", "any", "fixed", "broken", "magnum", "shipio", "standard", "form",
        "json", "0", "-1", "release/*", "http://127.0.0.1:9/h", "https://127.0.0.1:9/h", "ftp://127.0.0.1/", "/relative",
        "http://u:p@127.0.0.1/", "http://[::1]:9/", "http://", "javascript:alert(1)", "2026-11-24T10:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
        "2026-13-45T25:61:61Z", "ü🚀", "\\ud800", "\\udfff\\ud800", "\\u0000", "ma\\u0000ster", "a\\u0001b", "\\u001b[31m", "tab\\there", "line\\nbreak", "\\u007f", "\\u0085", "a\\r\\nX-Injected: 1", "'; DROP TABLE projects; --",
        "%s%n%x", "${jndi:ldap://x}", "Authorization", "webhook-id", "Content-Type", "X-Team", "Bad Name",
    ];

    private static readonly string[] Numbers =
    [
        "0", "1", "-1", "20", "21", "130", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "1.5", "-0", "1e3", "1e308", "1e999", "-1e999", "0.0000001",
    ];

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "0", "-", "1e", "\"url\"", "\"name\"", "\"status\"",
        "\"\\u\"", "\"\\", "NaN", "Infinity", "undefined", "'single'", "/* comment */", "// line", " ", "\n", "\t", "\u00a0",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "application/merge-patch+json", "application/json; charset=utf-16",
        "application/json; charset=nonsense", "application/xml", "multipart/form-data; boundary=x", "*/*", "application/json; x",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The fields of the endpoint at hand, mostly drawn from so that bodies reach its validation past the unknown-field check.</summary>
    private IReadOnlyList<string> _fields = [];

    public (byte[] Body, string ContentType, string Kind) Next(IReadOnlyList<string> fields)
    {
        _fields = fields;
        var contentType = _random.Next(10) == 0 ? ContentTypes[_random.Next(ContentTypes.Length)] : "application/json";
        return _random.Next(7) switch
        {
            0 => (RandomBytes(), contentType, "bytes"),
            1 => (Utf8(TokenSoup()), contentType, "tokens"),
            2 => (Utf8(DeepNesting()), contentType, "nesting"),
            3 => (Utf8(Truncated(Object(0))), contentType, "truncated"),
            4 => (Utf8(Scalar(0)), contentType, "scalar"),
            _ => (Utf8(Object(0)), contentType, "object"),
        };
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 300)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string TokenSoup() => string.Concat(Enumerable.Range(0, _random.Next(1, 40)).Select(_ => Tokens[_random.Next(Tokens.Length)]));

    private string DeepNesting()
    {
        var depth = _random.Next(10, 5000);
        var open = _random.Next(2) == 0 ? "[" : "{\"name\":";
        var close = open == "[" ? "]" : "}";
        var closed = _random.Next(3) != 0;
        return string.Concat(Enumerable.Repeat(open, depth)) + "1" + (closed ? string.Concat(Enumerable.Repeat(close, depth)) : "");
    }

    private string Truncated(string json) => json.Length <= 1 ? json : json[.._random.Next(1, json.Length)];

    private string Object(int depth)
    {
        var fields = Enumerable.Range(0, _random.Next(0, 10))
            .Select(_ => _fields.Count > 0 && _random.Next(10) > 0 ? _fields[_random.Next(_fields.Count)] : Fields[_random.Next(Fields.Length)])
            .Select(f => $"\"{f}\": {Value(depth + 1)}");
        return "{" + string.Join(", ", fields) + "}";
    }

    private string Value(int depth) => (depth > 3 ? _random.Next(4) : _random.Next(7)) switch
    {
        0 => Scalar(depth),
        1 => Str(),
        2 => Numbers[_random.Next(Numbers.Length)],
        3 => _random.Next(3) switch { 0 => "null", 1 => "true", _ => "false" },
        4 => "[" + string.Join(", ", Enumerable.Range(0, _random.Next(0, 5)).Select(_ => Value(depth + 1))) + "]",
        5 => "{" + string.Join(", ", Enumerable.Range(0, _random.Next(0, 4)).Select(_ => $"{Str()}: {Value(depth + 1)}")) + "}",
        _ => Object(depth),
    };

    private string Scalar(int depth) => _random.Next(5) switch
    {
        0 => Str(),
        1 => Numbers[_random.Next(Numbers.Length)],
        2 => "null",
        3 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(0, 3)).Select(_ => Str())) + "]",
        _ => depth > 3 ? "true" : Value(depth + 1),
    };

    private string Str()
    {
        var text = _random.Next(12) switch
        {
            0 => new string('a', _random.Next(250, 5000)),
            1 => string.Create(CultureInfo.InvariantCulture, $"x{_random.Next()}"),
            _ => Strings[_random.Next(Strings.Length)],
        };
        return "\"" + text + "\"";
    }
}
