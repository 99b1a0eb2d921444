# pynetdicom as an Inventory Creation SCP calling dicomnet's SCU listener (role selection).
import sys
from pydicom.dataset import Dataset
from pynetdicom import AE, build_role
from pynetdicom.sop_class import InventoryCreation, StorageManagementInstance
ae = AE(ae_title='PYSCP')
ae.add_requested_context(InventoryCreation)
assoc = ae.associate('127.0.0.1', int(sys.argv[1]), ae_title='DNSCU', ext_neg=[build_role(InventoryCreation, scp_role=True, scu_role=False)])
print('pynetdicom: established', assoc.is_established, flush=True)
uid = sys.argv[2]
def send(t, ds):
    st, _ = assoc.send_n_event_report(ds, t, InventoryCreation, StorageManagementInstance)
    print(f'pynetdicom: event {t} -> 0x{st.Status:04X}', flush=True)
s = Dataset(); s.TransactionUID = uid; s.TransactionStatus = 'PAUSED'; s.TotalNumberOfStudyRecords = 3
send(12, s)
m = Dataset(); m.TransactionStatus = 'FAILURE'
send(13, m)
e = Dataset(); e.TransactionUID = uid; e.TransactionStatus = 'FAILURE'; e.TransactionStatusComment = 'disk full'
send(13, e)
assoc.release()
