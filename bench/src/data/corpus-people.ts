/**
 * Patients, physicians and institutions of the corpus, in the three character sets an archive
 * meets most: none given (the default repertoire, ASCII), ISO_IR 100 (Latin-1) and ISO_IR 192
 * (UTF-8) (PS3.5 6.1.2.3, PS3.3 C.12.1.1.2). Each text is representable in its set.
 */

/** How a patient's texts are encoded. */
export interface CharacterSetPlan {
  /** Specific Character Set (0008,0005); undefined: the element is absent. */
  readonly specificCharacterSet: string | undefined;
  /** How the dump file's bytes are written, so that dump2dcm copies them as encoded. */
  readonly encoding: 'latin1' | 'utf8';
}

/** One patient and the texts of the studies made for them. */
export interface PatientPlan {
  readonly name: string;
  readonly id: string;
  readonly birthDate: string;
  readonly sex: 'M' | 'F' | 'O';
  readonly characterSet: CharacterSetPlan;
  readonly institution: string;
  readonly referringPhysician: string;
  readonly studyDescription: string;
}

const ASCII: CharacterSetPlan = { specificCharacterSet: undefined, encoding: 'latin1' };
const LATIN_1: CharacterSetPlan = { specificCharacterSet: 'ISO_IR 100', encoding: 'latin1' };
const UTF_8: CharacterSetPlan = { specificCharacterSet: 'ISO_IR 192', encoding: 'utf8' };

const PATIENTS: readonly (readonly [string, 'M' | 'F' | 'O', CharacterSetPlan])[] = [
  ['SMITH^JOHN', 'M', ASCII],
  ['DOE^JANE^A', 'F', ASCII],
  ['NGUYEN^MINH', 'M', ASCII],
  ['GARCIA^MARIA^L', 'F', ASCII],
  ['OKAFOR^CHIDI', 'M', ASCII],
  ['JOHANSSON^ERIK', 'M', ASCII],
  ['TANAKA^YUKI', 'F', ASCII],
  ['BROWN^ROBERT^J^^JR', 'M', ASCII],
  ['KOWALSKI^ANNA', 'F', ASCII],
  ['MARTIN^ALEX', 'O', ASCII],
  ['Müller^Jürgen', 'M', LATIN_1],
  ['Lefèvre^Amélie', 'F', LATIN_1],
  ['Ødegård^Sindre', 'M', LATIN_1],
  ['Peña^José', 'M', LATIN_1],
  ['Παπαδόπουλος^Νίκος', 'M', UTF_8],
  ['Иванова^Ольга', 'F', UTF_8],
];

const INSTITUTIONS: Readonly<Record<CharacterSetPlan['encoding'], readonly string[]>> = {
  latin1: ['GENERAL HOSPITAL', 'Hôpital Saint-Louis', 'Universitätsklinikum Köln'],
  utf8: ['Γενικό Νοσοκομείο Αθηνών', 'Городская больница №1'],
};

const STUDY_DESCRIPTIONS: Readonly<Record<'ascii' | 'latin1' | 'utf8', readonly string[]>> = {
  ascii: ['CT CHEST W CONTRAST', 'MRI BRAIN WO CONTRAST', 'ABDOMEN ROUTINE', 'KNEE LEFT'],
  latin1: ['Thorax mit Kontrastmittel', 'IRM cérébrale', 'Abdomen complet'],
  utf8: ['Αξονική θώρακος', 'МРТ головного мозга'],
};

/** Patient `index` (0 to 15) of the corpus. */
export function patientPlan(index: number): PatientPlan {
  const [name, sex, characterSet] = PATIENTS[index % PATIENTS.length] ?? ['SMITH^JOHN', 'M', ASCII];
  const kind =
    characterSet === ASCII ? 'ascii' : characterSet.encoding === 'utf8' ? 'utf8' : 'latin1';
  const institutions = kind === 'utf8' ? INSTITUTIONS.utf8 : INSTITUTIONS.latin1;
  const descriptions = STUDY_DESCRIPTIONS[kind];
  return {
    name,
    id: `PAT${String(104729 * (index + 1)).padStart(8, '0')}`,
    birthDate: `19${40 + ((index * 7) % 60)}${String(1 + (index % 12)).padStart(2, '0')}${String(1 + ((index * 5) % 28)).padStart(2, '0')}`,
    sex,
    characterSet,
    // The ASCII patients are seen at the ASCII institution only.
    institution:
      kind === 'ascii' ? 'GENERAL HOSPITAL' : (institutions[index % institutions.length] ?? ''),
    referringPhysician:
      kind === 'utf8' ? 'Петров^Иван' : kind === 'latin1' ? 'Dübel^Käthe^^Dr.' : 'WELBY^MARCUS^^DR',
    studyDescription: descriptions[index % descriptions.length] ?? '',
  };
}
