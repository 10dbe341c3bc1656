/**
 * PyTorch's dtype objects by name, so that `{ dtype: torch.float32 }` reads as in PyTorch. Each is
 * the dtype's string; `int64`/`long` name torchlet's int32 storage (see DType).
 *
 * @example
 * torch.tensor([[0, 1]], { dtype: torch.float32 });
 */
export const float32 = "float32" as const;
/** `torch.float`: float32. @example torch.zeros([2], { dtype: torch.float }); */
export const float = "float32" as const;
/** `torch.float64`. @example torch.zeros([2], { dtype: torch.float64 }); */
export const float64 = "float64" as const;
/** `torch.double`: float64. @example torch.zeros([2], { dtype: torch.double }); */
export const double = "float64" as const;
/** `torch.int32`. @example torch.zeros([2], { dtype: torch.int32 }); */
export const int32 = "int32" as const;
/**
 * `torch.int64`: stored as int32 (JavaScript typed arrays hold no int64 without BigInt).
 *
 * @example
 * torch.zeros([2], { dtype: torch.int64 });
 */
export const int64 = "int64" as const;
/** `torch.long`: int64, stored as int32. @example torch.zeros([2], { dtype: torch.long }); */
export const long = "int64" as const;
/** `torch.int`: int32. @example torch.zeros([2], { dtype: torch.int }); */
export const int = "int32" as const;
/** `torch.bool`. @example torch.zeros([2], { dtype: torch.bool }); */
export const bool = "bool" as const;
