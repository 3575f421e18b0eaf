using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BuildHooks.Server.Tests;

/// <summary>
/// Seeded requests against any endpoint: odd path ids and segments, odd query strings, and bodies from
/// <see cref="ApiGarbage"/> plus invalid UTF-8, huge strings and bodies over the size limit.
/// </summary>
public sealed class ApiFuzzRequests(int seed, long maxBodyBytes)
{
    /// <summary>
    /// Ids 1…6 of every table exist (the fuzz test seeds them) and are what requests aim at; 7…12 exist too and are
    /// what DELETE aims at, so that deletions do not leave every later request a 404.
    /// </summary>
    public const int KnownIds = 6;

    private static readonly string[] WeirdIds =
    [
        "0", "-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "abc",
        "1.5", "1e3", "0x10", "+1", "01", "%20", "1%20", "1%2F2", "%2e%2e", "..", "%E2%82", "%FF", "\u0661", "ü", "null", "true",
        "{id}", "1;drop", "1'", new string('9', 600),
    ];

    private static readonly string[] WeirdSegments =
    [
        "x", "", "%20", "..", "%2e%2e%2f", "a%2Fb", "%E2%82", "%FF", "ü🚀", "file.txt", "00000000-0000-0000-0000-000000000000",
        "not-a-guid", "{00000000-0000-0000-0000-000000000000}", new string('a', 3000), "a b", "a+b", "%3Cscript%3E",
    ];

    private static readonly string[] QueryNames = ["status", "limit", "before", "since", "page", "format", "x", "", "status[]", "limit.max"];

    private static readonly string[] QueryValues =
    [
        "", "-1", "0", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999", "1.5", "1e9",
        "abc", "true", "pending", "failed", "succeeded", "held", "cancelled", "0x10", "2026-11-24T10:00:00Z", "0001-01-01",
        "%zz", "%E2%82", "%FF", "a%26b%3Dc", "%0d%0aX-Injected:%201", "ü🚀", new string('q', 4000),
    ];

    private readonly Random _random = new(seed);
    private readonly ApiGarbage _garbage = new(seed);

    public ApiFuzzRequest Next(ApiEndpoint endpoint)
    {
        var path = Path(endpoint) + Query(endpoint);
        var bodyless = endpoint.Method is "GET" or "HEAD" or "DELETE";
        if (bodyless && _random.Next(10) < 7)
        {
            return new ApiFuzzRequest(endpoint, path, null, null, "no body");
        }

        var (body, contentType, kind) = _random.Next(20) switch
        {
            0 => (InvalidUtf8InJson(), "application/json", "invalid UTF-8"),
            1 => (HugeString(), "application/json", "huge string"),
            2 when _random.Next(4) == 0 => (Oversized(), "application/json", "oversized"),
            3 => ([], _random.Next(2) == 0 ? "application/json" : null, "empty"),
            4 => (Encoding.UTF8.GetBytes("{\"url\":\"http://127.0.0.1:9/h\"}"), _random.Next(2) == 0 ? null : "text/plain", "wrong content type"),
            _ => _garbage.Next(endpoint.BodyFields),
        };
        return new ApiFuzzRequest(endpoint, path, body, contentType, kind);
    }

    private string Path(ApiEndpoint endpoint)
    {
        var route = endpoint.Route;
        // One known index for every id in the path: the seeded project n owns hook n, build n and delivery n, so
        // /api/projects/3/hooks/3 reaches the handler's logic instead of a 404.
        var known = _random.Next(1, KnownIds + 1) + (endpoint.Method == "DELETE" ? KnownIds : 0);
        var path = new StringBuilder();
        foreach (var segment in route.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Value(parameter, known),
                    _ => "",
                });
            }
        }

        return path.ToString();
    }

    private string Value(RoutePatternParameterPart parameter, int known)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content).ToList();
        var weird = _random.Next(10) < 2;
        if (constraints.Contains("long") || constraints.Contains("int"))
        {
            return weird ? WeirdIds[_random.Next(WeirdIds.Length)] : known.ToString(CultureInfo.InvariantCulture);
        }

        if (constraints.Contains("guid"))
        {
            return weird ? WeirdSegments[_random.Next(WeirdSegments.Length)] : new Guid(RandomBytes(16)).ToString();
        }

        return weird || _random.Next(2) == 0 ? WeirdSegments[_random.Next(WeirdSegments.Length)] : "report.txt";
    }

    private string Query(ApiEndpoint endpoint)
    {
        if (_random.Next(2) == 0)
        {
            return "";
        }

        var pairs = Enumerable.Range(0, _random.Next(1, 5)).Select(_ =>
        {
            var name = endpoint.QueryNames.Count > 0 && _random.Next(3) > 0
                ? endpoint.QueryNames[_random.Next(endpoint.QueryNames.Count)]
                : QueryNames[_random.Next(QueryNames.Length)];
            return _random.Next(8) == 0 ? name : $"{name}={QueryValues[_random.Next(QueryValues.Length)]}";
        });
        return "?" + string.Join("&", pairs);
    }

    /// <summary>A JSON object whose string values carry bytes that are not UTF-8 (lone continuation, overlong, truncated).</summary>
    private byte[] InvalidUtf8InJson()
    {
        byte[][] bad = [[0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]];
        var body = new List<byte>();
        body.AddRange("{\"name\":\"a"u8.ToArray());
        body.AddRange(bad[_random.Next(bad.Length)]);
        body.AddRange("\",\"url\":\"http://127.0.0.1:9/"u8.ToArray());
        body.AddRange(bad[_random.Next(bad.Length)]);
        body.AddRange("\",\"status\":\"pass\"}"u8.ToArray());
        return body.ToArray();
    }

    /// <summary>A field name the API knows, holding a string far longer than any field allows, inside the body limit.</summary>
    private byte[] HugeString()
    {
        string[] fields = ["name", "url", "commit", "message", "branch", "author", "since"];
        var length = _random.Next(10_000, (int)Math.Min(maxBodyBytes - 100, 900_000));
        return Encoding.UTF8.GetBytes($"{{\"{fields[_random.Next(fields.Length)]}\":\"{new string('x', length)}\"}}");
    }

    private byte[] Oversized()
    {
        var body = new byte[maxBodyBytes + 1 + _random.Next(100_000)];
        Array.Fill(body, (byte)' ');
        body[0] = (byte)'[';
        body[^1] = (byte)']';
        return body;
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }
}
