/**
 * Whether a response with this status names the Action or Event Type ID: Success and Warning
 * (with a reply, PS3.7 §10.1.4.1.5, §10.1.1.1.4), 0113H No such event type (C.5.18), 0114H No
 * such argument (C.5.16), 0115H Invalid argument value (C.5.10) and 0123H No such action (C.5.24).
 */
export function namesTypeId(status: number): boolean {
  return (
    status === 0x0000 ||
    (status >= 0xb000 && status <= 0xbfff) ||
    [0x0001, 0x0107, 0x0116, 0x0113, 0x0114, 0x0115, 0x0123].includes(status)
  );
}
