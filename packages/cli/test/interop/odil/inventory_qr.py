"""Inventory FIND, GET and MOVE (PS3.4 JJ) as odil (Debian's python3-odil 0.12) performs them.

odil has no Inventory SOP classes of its own, but its FindSCU, GetSCU and MoveSCU take any
Affected SOP Class. Every result is printed as one JSON line.

  inventory_qr.py find HOST PORT CALLED
  inventory_qr.py get  HOST PORT CALLED OUT_DIR UID...
  inventory_qr.py move HOST PORT CALLED DESTINATION UID...
"""
import json
import os
import sys

import odil

INVENTORY_STORAGE = "1.2.840.10008.5.1.4.1.1.201.1"
INVENTORY_FIND = "1.2.840.10008.5.1.4.1.1.201.2"
INVENTORY_MOVE = "1.2.840.10008.5.1.4.1.1.201.3"
INVENTORY_GET = "1.2.840.10008.5.1.4.1.1.201.4"
INVENTORY_LEVEL = odil.Tag(0x0008, 0x0403)
# odil 0.12 predates the Inventory IOD and the UV VR (0008,0428 is UV): Implicit VR only, where
# the data set carries no VRs.
SYNTAXES = [odil.registry.ImplicitVRLittleEndian]
Context = odil.AssociationParameters.PresentationContext


def associate(host, port, called, contexts):
    association = odil.Association()
    association.set_peer_host(host)
    association.set_peer_port(int(port))
    association.update_parameters().set_calling_ae_title("ODIL").set_called_ae_title(
        called
    ).set_presentation_contexts(contexts)
    association.associate()
    return association


def text(data_set, tag):
    """The first value of a text element; one odil's dictionary lacks comes as UN bytes."""
    if not data_set.has(tag) or data_set.empty(tag):
        return ""
    if data_set.is_binary(tag):
        return bytes(data_set.as_binary(tag)[0]).decode().rstrip(" \0")
    return data_set.as_string(tag)[0].decode()


def uid_query(uids):
    query = odil.DataSet()
    query.add(odil.Tag("SOPInstanceUID"), odil.Value.Strings([uid.encode() for uid in uids]))
    return query


def counts(message):
    result = {"status": message.get_status()}
    for kind in ["completed", "remaining", "failed", "warning"]:
        name = "number_of_{}_sub_operations".format(kind)
        if getattr(message, "has_" + name)():
            result[kind] = getattr(message, "get_" + name)()
    return result


def find(host, port, called):
    association = associate(host, port, called, [Context(1, INVENTORY_FIND, SYNTAXES, Context.Role.SCU)])
    scu = odil.FindSCU(association)
    scu.set_affected_sop_class(INVENTORY_FIND)
    query = odil.DataSet()
    query.add(odil.Tag("SOPInstanceUID"))
    query.add(INVENTORY_LEVEL, odil.VR.CS)
    for match in scu.find(query):
        print(json.dumps({"sopInstanceUid": text(match, odil.Tag("SOPInstanceUID")),
                          "level": text(match, INVENTORY_LEVEL)}))
    association.release()


def get(host, port, called, out_dir, uids):
    association = associate(host, port, called, [
        Context(1, INVENTORY_GET, SYNTAXES, Context.Role.SCU),
        Context(3, INVENTORY_STORAGE, SYNTAXES, Context.Role.SCP),
    ])
    scu = odil.GetSCU(association)
    scu.set_affected_sop_class(INVENTORY_GET)
    last = {}

    def store(data_set):
        uid = text(data_set, odil.Tag("SOPInstanceUID"))
        with odil.open(os.path.join(out_dir, uid + ".dcm"), "wb") as stream:
            odil.Writer.write_file(data_set, stream, odil.DataSet(), odil.registry.ImplicitVRLittleEndian)
        print(json.dumps({"stored": uid}))

    def progress(message):
        last.update(counts(message))

    scu.get(uid_query(uids), store, progress)
    print(json.dumps({"final": last}))
    association.release()


def move(host, port, called, destination, uids):
    association = associate(host, port, called, [Context(1, INVENTORY_MOVE, SYNTAXES, Context.Role.SCU)])
    scu = odil.MoveSCU(association)
    scu.set_affected_sop_class(INVENTORY_MOVE)
    scu.set_move_destination(destination)
    last = {}

    def progress(message):
        last.update(counts(message))

    scu.move(uid_query(uids), lambda data_set: None, progress)
    print(json.dumps({"final": last}))
    association.release()


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "find":
        find(*arguments)
    elif command == "get":
        get(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4:])
    elif command == "move":
        move(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4:])
    else:
        sys.exit("unknown command " + command)
