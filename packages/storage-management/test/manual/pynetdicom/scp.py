# A pynetdicom Inventory Creation SCP for a by-hand try of dicomnet's SCU: answers N-ACTION
# and reports events on the same association from a thread (pynetdicom leaves all semantics to us).
import sys, threading, time
from pydicom.dataset import Dataset
from pynetdicom import AE, evt
from pynetdicom.sop_class import InventoryCreation, StorageManagementInstance

log = []

def report(assoc, uid, events):
    time.sleep(0.2)
    for event_type, ds in events:
        status = assoc.send_n_event_report(ds, event_type, InventoryCreation, StorageManagementInstance)
        s = status[0].Status if status[0] is not None and 'Status' in status[0] else None
        print(f"pynetdicom: N-EVENT-REPORT {event_type} answered 0x{s:04X}" if s is not None else "no status", flush=True)

def handle_action(event):
    info = event.action_information
    uid = info.TransactionUID
    print(f"pynetdicom: N-ACTION {event.action_type} TransactionUID={uid} keys={[str(e.keyword) for e in info]}", flush=True)
    events = []
    if event.action_type == 11:
        s1 = Dataset(); s1.TransactionUID = uid; s1.TransactionStatus = 'PROCESSING'; s1.TotalNumberOfStudyRecords = 1
        s2 = Dataset(); s2.TransactionUID = uid; s2.TransactionStatus = 'PROCESSING'; s2.TotalNumberOfStudyRecords = 2
        bad = Dataset(); bad.TransactionUID = uid; bad.TransactionStatus = 'RUNNING'; bad.TotalNumberOfStudyRecords = 2
        done = Dataset(); done.TransactionUID = uid; done.TransactionStatus = 'COMPLETE'
        done.ReferencedSOPClassUID = '1.2.840.10008.5.1.4.1.1.201.1'; done.ReferencedSOPInstanceUID = '2.25.4242'
        done.RetrieveAETitle = 'PYSCP'; done.TotalNumberOfStudyRecords = 2
        events = [(12, s1), (12, s2), (12, bad), (14, s2), (11, done)]
    threading.Thread(target=report, args=(event.assoc, uid, events), daemon=True).start()
    status = Dataset(); status.Status = 0xB010; status.AttributeIdentifierList = [0x00081030]
    return status, None

ae = AE(ae_title='PYSCP')
ae.add_supported_context(InventoryCreation)
ae.start_server(('127.0.0.1', int(sys.argv[1])), block=True, evt_handlers=[(evt.EVT_N_ACTION, handle_action)])
