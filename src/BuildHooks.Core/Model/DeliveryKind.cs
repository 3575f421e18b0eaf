namespace BuildHooks.Core.Model;

/// <summary>Why a delivery exists: a finished build, or a person pressing "test".</summary>
public enum DeliveryKind
{
    Live,
    Test,
}
