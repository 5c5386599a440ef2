# Clinical severity of a diagnosis as a SECONDARY (comorbidity / complication),
# adult scale 0-9 (hrgfast judgement). Lines: PREFIX[-PREFIX] SEV label.
# Ranges expand over 3-character categories; a longer prefix overrides a shorter one.
ADULT = r"""
A00-A09 2 intestinal infection
A047 3 C. difficile enterocolitis
A15-A19 4 tuberculosis
A20-A28 3 zoonotic bacterial disease
A30-A49 3 bacterial infection
A31 2 mycobacterial infection
A32 4 listeriosis
A33-A35 5 tetanus
A36 4 diphtheria
A39 6 meningococcal infection
A40-A41 6 sepsis
A46 2 erysipelas
A48 2 bacterial infection
A483 6 toxic shock syndrome
A49 2 bacterial infection, unspecified site
A50-A64 1 sexually transmitted infection
A52 2 late syphilis
A65-A79 2 spirochaetal/rickettsial/chlamydial infection
A80-A89 5 viral CNS infection
A87 3 viral meningitis
A90-A99 3 arthropod-borne/haemorrhagic viral fever
A98-A99 5 viral haemorrhagic fever
B00-B09 1 viral skin/mucosa infection
B003-B004 5 herpes meningitis/encephalitis
B01-B02 2 varicella/zoster
B05 2 measles
B15-B17 3 acute viral hepatitis
B18-B19 2 chronic viral hepatitis
B20-B24 4 HIV disease
B25 3 cytomegalovirus disease
B26-B34 1 viral infection
B35-B36 0 superficial mycosis
B37 1 candidiasis
B371 4 pulmonary candidiasis
B375-B377 5 invasive candidiasis
B38-B49 4 systemic mycosis
B44-B45 5 aspergillosis/cryptococcosis
B50 5 falciparum malaria
B51-B64 3 protozoal disease
B59 5 pneumocystosis
B65-B83 1 helminthiasis
B67 2 echinococcosis
B85-B89 0 infestation
B86 1 scabies
B90-B94 1 sequelae of infection
B95-B97 1 infective agent
B98-B99 0 other infective agent
C00-C75 3 malignant neoplasm
C15-C16 4 oesophageal/gastric malignancy
C22-C25 4 hepatobiliary/pancreatic malignancy
C34 4 lung malignancy
C38-C39 4 thoracic malignancy
C44 1 skin malignancy (non-melanoma)
C45 4 mesothelioma
C48 4 peritoneal malignancy
C61 2 prostate malignancy
C71 4 brain malignancy
C73 2 thyroid malignancy
C76 3 malignancy, ill-defined site
C77 4 secondary malignancy of lymph nodes
C78-C79 6 secondary malignancy
C795 5 secondary malignancy of bone
C80 4 malignancy without specification of site
C800 6 disseminated malignancy
C81-C96 4 haematological malignancy
C910 5 acute lymphoblastic leukaemia
C911 3 chronic lymphocytic leukaemia
C920 6 acute myeloid leukaemia
C924-C925 6 acute leukaemia
C930 6 acute monocytic leukaemia
C940-C942 6 acute leukaemia
C950 6 acute leukaemia
C96 5 histiocytic/other lymphoid malignancy
C97 5 multiple independent primary malignancies
D00-D09 1 carcinoma in situ
D03-D06 0 carcinoma in situ (skin/breast/cervix)
D10-D36 0 benign neoplasm
D12-D13 1 benign neoplasm of digestive tract
D18 1 haemangioma/lymphangioma
D25 1 uterine leiomyoma
D32-D33 2 benign neoplasm of meninges/brain
D352 2 benign neoplasm of pituitary
D37-D48 1 neoplasm of uncertain behaviour
D43 2 neoplasm of uncertain behaviour of brain/CNS
D45 2 polycythaemia vera
D46 3 myelodysplastic syndrome
D47 2 myeloproliferative/lymphoproliferative neoplasm
D50 2 iron deficiency anaemia
D51-D53 1 nutritional anaemia
D55-D59 2 haemolytic anaemia
D57 3 sickle-cell disorder
D570 4 sickle-cell crisis
D593 5 haemolytic-uraemic syndrome
D60-D61 4 aplastic anaemia
D62 2 acute posthaemorrhagic anaemia
D63-D64 1 anaemia, other
D65 6 disseminated intravascular coagulation
D66-D68 2 coagulation defect
D686 1 thrombophilia
D69 2 purpura/thrombocytopenia
D70 4 agranulocytosis/neutropenia
D71-D77 1 blood/spleen disorder
D75 2 blood disorder
D80-D83 3 immunodeficiency
D84 2 immunodeficiency
D86 2 sarcoidosis
D89 2 immune disorder
E00-E07 1 thyroid disorder
E04 0 non-toxic goitre
E05 2 thyrotoxicosis
E055 5 thyroid crisis
E10-E14 1 diabetes mellitus
E100-E101 5 diabetes with coma/ketoacidosis
E110-E111 5 diabetes with coma/ketoacidosis
E120-E121 5 diabetes with coma/ketoacidosis
E130-E131 5 diabetes with coma/ketoacidosis
E140-E141 5 diabetes with coma/ketoacidosis
E102 3 diabetes with renal complications
E112 3 diabetes with renal complications
E122 3 diabetes with renal complications
E132 3 diabetes with renal complications
E142 3 diabetes with renal complications
E103-E104 2 diabetes with eye/neurological complications
E113-E114 2 diabetes with eye/neurological complications
E123-E124 2 diabetes with eye/neurological complications
E133-E134 2 diabetes with eye/neurological complications
E143-E144 2 diabetes with eye/neurological complications
E105 3 diabetes with circulatory complications
E115 3 diabetes with circulatory complications
E125 3 diabetes with circulatory complications
E135 3 diabetes with circulatory complications
E145 3 diabetes with circulatory complications
E106 2 diabetes with other complications
E116 2 diabetes with other complications
E126 2 diabetes with other complications
E136 2 diabetes with other complications
E146 2 diabetes with other complications
E107 3 diabetes with multiple complications
E117 3 diabetes with multiple complications
E127 3 diabetes with multiple complications
E137 3 diabetes with multiple complications
E147 3 diabetes with multiple complications
E108 2 diabetes with complications
E118 2 diabetes with complications
E128 2 diabetes with complications
E138 2 diabetes with complications
E148 2 diabetes with complications
E109 2 type 1 diabetes without complications
E15 4 non-diabetic hypoglycaemic coma
E16 1 pancreatic internal secretion disorder
E162 2 hypoglycaemia
E20-E35 2 endocrine disorder
E21-E22 1 hyperparathyroidism/pituitary hyperfunction
E271-E272 3 adrenocortical insufficiency
E272 5 Addisonian crisis
E28-E30 0 gonadal/puberty disorder
E34 0 endocrine disorder, other
E32 1 thymus disease
E35 1 endocrine disorder in diseases classified elsewhere
E40-E43 5 severe protein-energy malnutrition
E44 3 moderate/mild protein-energy malnutrition
E45 2 retarded development following malnutrition
E46 3 protein-energy malnutrition
E50-E64 1 nutritional deficiency
E51 2 thiamine deficiency
E65-E68 1 obesity
E662 3 obesity hypoventilation
E67-E68 0 hyperalimentation
E70-E77 2 inborn error of metabolism
E78 1 disorder of lipoprotein metabolism
E79-E80 1 purine/porphyrin metabolism disorder
E802 2 porphyria
E83 1 mineral metabolism disorder
E830-E831 2 copper/iron metabolism disorder
E835 2 calcium metabolism disorder
E84 5 cystic fibrosis
E85 4 amyloidosis
E86 2 volume depletion
E87 2 fluid/electrolyte/acid-base disorder
E870 3 hyperosmolality/hypernatraemia
E872 3 acidosis
E874-E875 3 mixed acid-base disorder/hyperkalaemia
E878 1 fluid/electrolyte disorder, other
E88 1 metabolic disorder
E89 2 postprocedural endocrine disorder
E890 1 postprocedural hypothyroidism
E90 0 nutritional/metabolic disorder elsewhere
F00-F03 3 dementia
F04 2 organic amnesic syndrome
F05 3 delirium
F06 2 organic mental disorder
F067 1 mild cognitive disorder
F07-F09 1 organic mental disorder
F10-F19 1 substance use
F102 2 alcohol dependence
F103 3 alcohol withdrawal
F104 4 alcohol withdrawal with delirium
F105-F106 3 alcoholic psychosis/amnesic syndrome
F107 2 alcohol residual disorder
F112-F113 2 opioid dependence/withdrawal
F114 3 opioid withdrawal with delirium
F122 1 cannabinoid dependence
F132-F133 2 sedative dependence/withdrawal
F134 3 sedative withdrawal with delirium
F142 2 drug dependence
F152 2 drug dependence
F162 2 drug dependence
F182 2 drug dependence
F192 2 drug dependence
F143 2 drug withdrawal
F153 2 drug withdrawal
F193 2 drug withdrawal
F144 3 drug withdrawal with delirium
F194 3 drug withdrawal with delirium
F172 1 tobacco dependence
F17 0 tobacco use
F20-F29 2 psychotic disorder
F30-F31 2 mania/bipolar disorder
F32-F39 1 depressive/mood disorder
F322-F323 2 severe depression
F40-F48 1 neurotic/stress-related disorder
F45 0 somatoform disorder
F48 0 neurotic disorder, other
F50 2 eating disorder
F500 3 anorexia nervosa
F51-F59 0 behavioural syndrome
F60 1 personality disorder
F61-F69 0 personality/behaviour disorder
F70 2 mild learning disability
F71-F72 3 moderate/severe learning disability
F73 4 profound learning disability
F78-F79 2 learning disability
F80-F89 1 developmental disorder
F84 2 pervasive developmental disorder (autism)
F90-F98 1 childhood behavioural/emotional disorder
F95 0 tic disorder
F98 0 childhood behavioural disorder, other
F99 0 mental disorder NOS
G00 6 bacterial meningitis
G01-G02 5 meningitis
G03 4 meningitis
G04-G07 5 encephalitis/intracranial abscess
G08 4 intracranial phlebitis/thrombophlebitis
G09 2 sequelae of CNS inflammation
G10 3 Huntington's disease
G11 2 hereditary ataxia
G12 4 spinal muscular atrophy/motor neuron disease
G13-G14 2 systemic atrophy of CNS
G20 3 Parkinson's disease
G21-G23 2 parkinsonism/basal ganglia degeneration
G24-G26 1 movement disorder
G30 3 Alzheimer's disease
G31 2 degenerative disease of nervous system
G312 3 alcoholic degeneration of nervous system
G32 2 degeneration of nervous system elsewhere
G35-G36 3 multiple sclerosis/demyelination
G37 2 demyelinating disease
G40 2 epilepsy
G41 5 status epilepticus
G43-G44 1 migraine/headache syndrome
G45-G46 2 transient cerebral ischaemia
G47 1 sleep disorder
G473 2 sleep apnoea
G50-G59 1 nerve/plexus disorder
G60 1 hereditary neuropathy
G61 4 inflammatory polyneuropathy
G62-G64 1 polyneuropathy
G70-G71 3 myasthenia/muscular dystrophy
G72-G73 2 myopathy
G80-G81 3 cerebral palsy/hemiplegia
G82 4 paraplegia/tetraplegia
G83 2 paralytic syndrome
G834 3 cauda equina syndrome
G90 1 autonomic disorder
G91 3 hydrocephalus
G92 4 toxic encephalopathy
G93 2 brain disorder
G930 1 cerebral cyst
G931 5 anoxic brain damage
G933 1 postviral fatigue syndrome
G934 4 encephalopathy
G935 4 compression of brain
G936 5 cerebral oedema
G94 2 brain disorder elsewhere
G95 3 disease of spinal cord
G96-G97 2 CNS disorder/postprocedural
G98 1 nervous system disorder
G99 2 nervous system disorder elsewhere
H00-H59 0 eye disorder
H050 3 orbital cellulitis
H33-H34 2 retinal detachment/vascular occlusion
H36 1 retinal disorder elsewhere (diabetic retinopathy)
H40 1 glaucoma
H440 3 purulent endophthalmitis
H46 2 optic neuritis
H47 1 optic nerve disorder
H54 1 visual impairment/blindness
H540 2 blindness, binocular
H60-H95 0 ear disorder
H66 1 otitis media
H70 2 mastoiditis
H90-H91 1 hearing loss
I00-I02 2 rheumatic fever
I05-I09 2 chronic rheumatic heart disease
I10 1 essential hypertension
I11 2 hypertensive heart disease
I110 4 hypertensive heart disease with heart failure
I12 2 hypertensive renal disease
I120 4 hypertensive renal disease with renal failure
I13 3 hypertensive heart and renal disease
I130-I131 4 hypertensive heart and renal disease with failure
I132 5 hypertensive heart and renal disease with heart and renal failure
I15 1 secondary hypertension
I20 2 angina
I200 3 unstable angina
I21-I22 5 acute myocardial infarction
I23 4 complication of acute MI
I24 3 acute ischaemic heart disease
I25 2 chronic ischaemic heart disease
I252 1 old myocardial infarction
I255 3 ischaemic cardiomyopathy
I26 4 pulmonary embolism
I260 6 pulmonary embolism with acute cor pulmonale
I27 4 pulmonary heart disease
I28 2 pulmonary vessel disease
I30 3 acute pericarditis
I31 2 pericardial disease
I313 3 pericardial effusion
I32 2 pericarditis elsewhere
I33 6 endocarditis
I34-I39 2 valve disorder
I350 3 aortic stenosis
I40 5 myocarditis
I41 4 myocarditis elsewhere
I42-I43 3 cardiomyopathy
I44 1 conduction block
I442 4 complete atrioventricular block
I45 1 conduction disorder
I46 7 cardiac arrest
I47 2 paroxysmal tachycardia
I470 1 re-entry ventricular arrhythmia
I472 4 ventricular tachycardia
I48 2 atrial fibrillation/flutter
I49 1 cardiac arrhythmia
I490 6 ventricular fibrillation/flutter
I495 2 sick sinus syndrome
I50 4 heart failure
I51 2 heart disease complication/ill-defined
I514 4 myocarditis
I517 1 cardiomegaly
I52 2 heart disorder elsewhere
I60-I61 5 subarachnoid/intracerebral haemorrhage
I62 4 intracranial haemorrhage
I63-I64 4 stroke
I65-I66 1 cerebral artery occlusion/stenosis without infarction
I67 2 cerebrovascular disease
I674 4 hypertensive encephalopathy
I68 2 cerebrovascular disorder elsewhere
I69 2 sequelae of cerebrovascular disease
I70 2 atherosclerosis
I702 3 atherosclerosis of arteries of extremities
I71 3 aortic aneurysm
I710 6 aortic dissection
I711 7 ruptured aortic aneurysm
I713 7 ruptured aortic aneurysm
I715 7 ruptured aortic aneurysm
I718 7 ruptured aortic aneurysm
I72 2 other aneurysm
I73 2 peripheral vascular disease
I74 4 arterial embolism/thrombosis
I77 2 arterial disorder
I78-I79 1 capillary/arterial disorder
I80 3 phlebitis/deep vein thrombosis
I800 1 superficial thrombophlebitis
I81 4 portal vein thrombosis
I82 3 venous embolism/thrombosis
I83 1 varicose veins of lower extremities
I830 2 varicose veins with ulcer
I832 2 varicose veins with ulcer and inflammation
I85 4 oesophageal varices
I850 6 bleeding oesophageal varices
I86 1 varices of other sites
I87 1 venous disorder
I88 0 lymphadenitis
I89 1 lymphatic disorder (lymphoedema)
I95 2 hypotension
I97 2 postprocedural circulatory disorder
I98 2 circulatory disorder elsewhere
I99 0 circulatory disorder NOS
J00-J06 1 upper respiratory infection
J05 2 croup/epiglottitis
J09 5 avian/pandemic influenza
J10-J11 3 influenza
J100 4 influenza with pneumonia
J110 4 influenza with pneumonia
J12-J18 4 pneumonia
J20-J22 2 acute lower respiratory infection
J30-J39 0 upper respiratory tract disease
J32 1 chronic sinusitis
J36 1 peritonsillar abscess
J38-J39 1 upper respiratory tract disease
J384 3 laryngeal oedema
J40-J42 2 bronchitis
J43 3 emphysema
J44 3 COPD
J440-J441 4 COPD with acute infection/exacerbation
J45 1 asthma
J46 4 status asthmaticus
J47 3 bronchiectasis
J60-J70 2 lung disease due to external agents
J69 5 pneumonitis due to solids and liquids (aspiration)
J80 6 ARDS
J81 4 pulmonary oedema
J82 2 pulmonary eosinophilia
J84 4 interstitial lung disease
J85-J86 5 lung abscess/empyema
J90-J91 3 pleural effusion
J92 1 pleural plaque
J93 3 pneumothorax
J94 2 pleural condition
J95 3 postprocedural respiratory disorder
J96 6 respiratory failure
J961 4 chronic respiratory failure
J98 1 respiratory disorder
J981 2 pulmonary collapse
J99 2 respiratory disorder elsewhere
K00-K14 0 oral/dental disease
K11-K12 1 salivary gland disease/stomatitis
K20 1 oesophagitis
K21 1 gastro-oesophageal reflux disease
K22 2 oesophageal disease
K223 6 perforation of oesophagus
K23 1 oesophageal disorder elsewhere
K25-K28 2 peptic ulcer
K250 4 peptic ulcer with haemorrhage
K254 4 peptic ulcer with haemorrhage
K260 4 peptic ulcer with haemorrhage
K264 4 peptic ulcer with haemorrhage
K270 4 peptic ulcer with haemorrhage
K274 4 peptic ulcer with haemorrhage
K280 4 peptic ulcer with haemorrhage
K284 4 peptic ulcer with haemorrhage
K251-K252 6 perforated peptic ulcer
K255-K256 6 perforated peptic ulcer
K261-K262 6 perforated peptic ulcer
K265-K266 6 perforated peptic ulcer
K271-K272 6 perforated peptic ulcer
K275-K276 6 perforated peptic ulcer
K281-K282 6 perforated peptic ulcer
K285-K286 6 perforated peptic ulcer
K29 1 gastritis/duodenitis
K290 3 acute haemorrhagic gastritis
K30-K31 1 dyspepsia/stomach disorder
K35 3 acute appendicitis
K36-K38 2 appendix disease
K40-K46 1 hernia
K400-K401 3 hernia with obstruction/gangrene
K403-K404 3 hernia with obstruction/gangrene
K410-K411 3 hernia with obstruction/gangrene
K413-K414 3 hernia with obstruction/gangrene
K420-K421 3 hernia with obstruction/gangrene
K430-K431 3 hernia with obstruction/gangrene
K440-K441 3 hernia with obstruction/gangrene
K450-K451 3 hernia with obstruction/gangrene
K460-K461 3 hernia with obstruction/gangrene
K50-K51 3 inflammatory bowel disease
K52 2 non-infective gastroenteritis/colitis
K55 3 vascular disorder of intestine
K550 6 acute vascular disorder of intestine
K56 4 ileus/intestinal obstruction
K57 2 diverticular disease
K570 4 diverticular disease with perforation/abscess
K572 4 diverticular disease with perforation/abscess
K574 4 diverticular disease with perforation/abscess
K578 4 diverticular disease with perforation/abscess
K573 1 diverticular disease of large intestine
K58 1 irritable bowel syndrome
K59 1 functional intestinal disorder
K60 1 anal fissure/fistula
K61 2 anal/rectal abscess
K62 1 anal/rectal disease
K625 2 haemorrhage of anus/rectum
K63 2 intestinal disease
K631 6 perforation of intestine
K64 1 haemorrhoids
K65 5 peritonitis
K66 2 peritoneal disorder
K67 3 peritoneal disorder in infection
K70 3 alcoholic liver disease
K700 1 alcoholic fatty liver
K703 4 alcoholic cirrhosis
K704 6 alcoholic hepatic failure
K71 2 toxic liver disease
K72 6 hepatic failure
K721 4 chronic hepatic failure
K73 2 chronic hepatitis
K74 4 hepatic fibrosis/cirrhosis
K740-K742 2 hepatic fibrosis
K75 3 inflammatory liver disease
K750 5 liver abscess
K76 2 liver disease
K760 1 fatty liver
K766 4 portal hypertension
K767 7 hepatorenal syndrome
K77 2 liver disorder elsewhere
K80 1 cholelithiasis
K800 2 gallstones with acute cholecystitis
K803 3 gallstones with cholangitis
K81 2 cholecystitis
K82 1 gallbladder disease
K83 2 biliary tract disease
K830 4 cholangitis
K831 3 obstruction of bile duct
K85 4 acute pancreatitis
K86 3 chronic pancreatic disease
K87 2 pancreatic disorder elsewhere
K90 2 intestinal malabsorption
K900 1 coeliac disease
K91 2 postprocedural digestive disorder
K913 3 postoperative intestinal obstruction
K92 1 digestive disease
K920-K922 3 gastrointestinal haemorrhage
K93 1 digestive disorder elsewhere
L00 2 staphylococcal scalded skin syndrome
L01 1 impetigo
L02-L03 2 abscess/cellulitis
L04-L08 1 skin infection
L10 3 pemphigus
L11-L14 2 bullous disorder
L20-L30 0 dermatitis/eczema
L26 3 exfoliative dermatitis
L27 1 dermatitis due to ingested substances
L40-L45 1 papulosquamous disorder
L50 0 urticaria
L51 2 erythema multiforme
L511 5 Stevens-Johnson syndrome
L512 6 toxic epidermal necrolysis
L52-L53 1 erythematous condition
L55-L75 0 radiation-related/appendage disorder
L80-L99 0 skin disorder
L88 2 pyoderma gangrenosum
L89 2 pressure ulcer
L890 1 pressure ulcer stage 1
L892 4 pressure ulcer stage 3
L893 5 pressure ulcer stage 4
L93 1 lupus erythematosus
L94 1 localized connective tissue disorder
L95 2 vasculitis limited to skin
L97 2 ulcer of lower limb
L98 1 skin disorder
L984 2 chronic ulcer of skin
M00 4 pyogenic arthritis
M01 2 infective arthritis elsewhere
M02-M03 1 reactive/postinfective arthropathy
M05-M06 2 rheumatoid arthritis
M07 1 psoriatic/enteropathic arthropathy
M08-M09 2 juvenile arthritis
M10-M14 1 gout/crystal/other arthropathy
M15-M19 1 arthrosis
M20-M25 0 joint disorder
M24 1 joint derangement
M30-M31 3 polyarteritis/necrotizing vasculopathy
M315-M316 2 giant cell arteritis
M32-M34 3 systemic lupus/dermatomyositis/systemic sclerosis
M35-M36 2 systemic connective tissue disorder
M350 1 sicca syndrome
M353 1 polymyalgia rheumatica
M40-M54 0 dorsopathy
M41 1 scoliosis
M45-M46 2 ankylosing spondylitis/inflammatory spondylopathy
M462-M465 4 vertebral osteomyelitis/discitis
M47-M48 1 spondylosis/spinal stenosis
M49 2 spondylopathy elsewhere
M50-M51 1 disc disorder
M54 1 dorsalgia
M60-M79 0 soft tissue disorder
M600 3 infective myositis
M62 1 muscle disorder
M623 2 immobility syndrome
M726 6 necrotizing fasciitis
M80 2 osteoporosis with pathological fracture
M81-M83 1 osteoporosis/osteomalacia
M84 1 disorder of continuity of bone
M844 3 pathological fracture
M85 0 bone density disorder
M86 4 osteomyelitis
M87 2 osteonecrosis
M88-M89 1 Paget's disease/bone disorder
M90 2 osteopathy elsewhere
M91-M95 0 osteochondropathy/deformity
M96 2 postprocedural musculoskeletal disorder
M99 0 biomechanical lesion
N00 4 acute nephritic syndrome
N01 5 rapidly progressive nephritic syndrome
N02 1 recurrent haematuria
N03 2 chronic nephritic syndrome
N04 3 nephrotic syndrome
N05 2 nephritic syndrome
N06-N07 1 proteinuria/hereditary nephropathy
N08 2 glomerular disorder elsewhere
N10 3 acute pyelonephritis
N11-N12 2 tubulo-interstitial nephritis
N13 2 obstructive/reflux uropathy
N136 4 pyonephrosis
N14-N16 2 tubulo-interstitial condition
N151 4 renal/perinephric abscess
N17 4 acute kidney injury
N18 2 chronic kidney disease
N181-N182 1 chronic kidney disease stage 1-2
N184 4 chronic kidney disease stage 4
N185 6 chronic kidney disease stage 5
N19 3 renal failure, unspecified
N20-N23 1 urolithiasis
N25-N29 1 kidney/ureter disorder
N25 2 disorder from impaired renal tubular function
N30 1 cystitis
N31 2 neurogenic bladder
N32-N37 1 bladder/urethral disorder
N39 1 urinary system disorder
N390 2 urinary tract infection
N40 1 prostatic hyperplasia
N41 2 prostatitis
N42-N51 0 male genital disorder
N44-N45 1 testicular torsion/orchitis
N49 1 male genital inflammatory disorder
N60-N64 0 breast disorder
N61 1 inflammatory disorder of breast
N70-N77 1 female pelvic inflammatory disease
N80 1 endometriosis
N81-N98 0 female genital tract disorder
N99 2 postprocedural genitourinary disorder
N990 4 postprocedural renal failure
O00-O99 0 pregnancy-related (counts only in obstetrics)
P00-P96 0 perinatal condition (counts in paediatrics)
P05 1 slow fetal growth/malnutrition
P07 1 short gestation/low birth weight
Q00-Q99 1 congenital malformation
Q00-Q07 2 congenital malformation of nervous system
Q20-Q26 2 congenital malformation of heart/great vessels
Q61 2 cystic kidney disease
Q85 2 phakomatosis
Q87 2 congenital malformation syndrome
Q90-Q99 2 chromosomal abnormality
R00-R99 0 symptom/abnormal finding
R02 4 gangrene
R040 1 epistaxis
R042 2 haemoptysis
R090 4 asphyxia
R092 6 respiratory arrest
R13 2 dysphagia
R15 1 faecal incontinence
R16 1 hepatomegaly/splenomegaly
R17 2 jaundice
R18 3 ascites
R26-R27 1 gait abnormality/ataxia
R296 1 tendency to fall
R31 1 haematuria
R32-R33 1 urinary incontinence/retention
R34 4 anuria/oliguria
R40 1 somnolence
R401 3 stupor
R402 5 coma
R41 1 cognitive symptom
R44 1 hallucinations
R47 1 speech disturbance
R50 1 fever
R54 1 senility/frailty
R56 2 convulsions
R57 6 shock
R570 7 cardiogenic shock
R59 1 enlarged lymph nodes
R60 1 oedema
R62 1 lack of expected physiological development
R63 1 symptom concerning food and fluid intake
R64 3 cachexia
R65 4 systemic inflammatory response syndrome
R651 5 SIRS of infectious origin with organ failure
R652-R653 3 SIRS of non-infectious origin
R659 3 SIRS, unspecified
S00-T98 0 injury
S02 2 skull/facial fracture
S020-S021 3 fracture of vault/base of skull
S06 4 intracranial injury
S060 1 concussion
S12 3 fracture of cervical spine
S14 5 injury of cervical spinal cord
S22 2 fracture of rib/sternum/thoracic spine
S224 3 multiple rib fractures
S225 5 flail chest
S24 5 injury of thoracic spinal cord
S25 4 injury of thoracic blood vessels
S26-S27 5 injury of heart/intrathoracic organs
S32 3 fracture of lumbar spine/pelvis
S34 5 injury of lumbar spinal cord
S35 4 injury of abdominal blood vessels
S36 5 injury of intra-abdominal organs
S37 3 injury of pelvic organs
S42 2 fracture of shoulder/upper arm
S52 1 fracture of forearm
S72 4 fracture of femur
S82 2 fracture of lower leg
T17 2 foreign body in respiratory tract
T31 1 burns by extent of body surface
T312 3 burns 20-29% body surface
T313-T319 5 burns 30% or more body surface
T32 1 corrosions by extent of body surface
T36-T65 2 poisoning/toxic effect
T67 2 effects of heat
T670 4 heatstroke
T68 3 hypothermia
T71 4 asphyxiation
T74 2 maltreatment syndrome
T782 3 anaphylactic shock
T790-T791 5 air/fat embolism (traumatic)
T793 2 post-traumatic wound infection
T794 6 traumatic shock
T795 5 traumatic anuria
T796 4 traumatic ischaemia of muscle
T797 2 traumatic subcutaneous emphysema
T80 2 complication following infusion/transfusion
T81 2 complication of procedure
T810 3 haemorrhage complicating a procedure
T811 6 shock during or resulting from a procedure
T813-T814 3 wound disruption/infection following a procedure
T818 1 complication of procedure, other
T82 3 complication of cardiac/vascular device
T83 2 complication of genitourinary device
T835-T836 3 infection due to genitourinary device
T84 3 complication of orthopaedic device
T845 4 infection due to joint prosthesis
T85 2 complication of other device
T86 4 failure/rejection of transplant
T87 2 complication of amputation/reattachment
T88 2 complication of care
T886 4 anaphylactic shock due to drug
T90-T98 0 sequelae of injury
U04 5 severe acute respiratory syndrome
U07 3 COVID-19
U071 4 COVID-19, virus identified
U08-U09 1 post-COVID condition
U82-U85 0 antimicrobial resistance
V01-Y98 0 external cause
Z00-Z99 0 factor influencing health status
Z21 2 asymptomatic HIV infection
Z223 1 carrier of bacterial disease (MRSA etc)
Z515 2 palliative care
Z74 1 dependency on care provider
Z75 1 problems related to medical facilities
Z89 1 acquired absence of limb
Z895-Z897 2 acquired absence of leg above ankle
Z93 1 artificial opening status
Z930 3 tracheostomy status
Z931 2 gastrostomy status
Z94 2 transplanted organ status
Z940 3 kidney transplant status
Z941-Z942 4 heart/lung transplant status
Z943 4 heart-lung transplant status
Z944 3 liver transplant status
Z948 3 bone marrow/stem cell transplant status
Z95 1 cardiac/vascular implant status
Z952-Z954 2 prosthetic/replacement heart valve
Z99 1 dependence on enabling machine
Z991 4 dependence on respirator
Z992 5 dependence on renal dialysis
Z994 5 dependence on artificial heart
"""

# Paediatric adjustments (adult-scale severity, applied before the paediatric mapping).
PAED = r"""
E10 3 type 1 diabetes in childhood
E100-E101 5 diabetes with coma/ketoacidosis
E70-E77 4 inborn error of metabolism
E84 6 cystic fibrosis
D57 4 sickle-cell disorder
D570 5 sickle-cell crisis
F70-F79 3 learning disability
F80-F89 2 developmental disorder
F84 2 autism
G40 3 epilepsy
G80 4 cerebral palsy
G91 4 hydrocephalus
J45 2 asthma
R62 2 failure to thrive/delayed development
R63 1 feeding difficulty
Z930-Z931 3 tracheostomy/gastrostomy status
Z991 6 dependence on respirator
P00-P04 0 fetus affected by maternal factors
P05 2 slow fetal growth/malnutrition
P07 3 short gestation/low birth weight
P070 5 extremely low birth weight
P072 5 extreme immaturity
P08 1 long gestation/high birth weight
P10-P15 2 birth injury
P10 5 intracranial laceration/haemorrhage due to birth injury
P20-P21 4 intrauterine hypoxia/birth asphyxia
P22 4 respiratory distress of newborn
P221 2 transient tachypnoea of newborn
P23 4 congenital pneumonia
P24 3 neonatal aspiration
P25 4 interstitial emphysema/air leak in perinatal period
P26 5 pulmonary haemorrhage in perinatal period
P27 4 chronic respiratory disease in perinatal period
P28 2 respiratory condition of newborn
P29 2 cardiovascular disorder in perinatal period
P291 3 neonatal dysrhythmia
P293 4 persistent fetal circulation
P35 3 congenital viral disease
P36 6 bacterial sepsis of newborn
P37 3 congenital infectious/parasitic disease
P38 2 omphalitis
P39 2 infection specific to perinatal period
P50-P54 2 neonatal haemorrhage
P52 4 intracranial non-traumatic haemorrhage of newborn
P55 3 haemolytic disease of newborn
P56 5 hydrops fetalis due to haemolytic disease
P57 5 kernicterus
P58-P59 1 neonatal jaundice
P60 5 disseminated intravascular coagulation of newborn
P61 2 perinatal haematological disorder
P70-P71 2 transitory neonatal carbohydrate/calcium disorder
P72-P74 1 transitory neonatal endocrine/metabolic disorder
P75 4 meconium ileus
P76 3 intestinal obstruction of newborn
P77 6 necrotizing enterocolitis
P78 1 perinatal digestive disorder
P80-P83 1 temperature regulation/integument of newborn
P90 3 convulsions of newborn
P91 4 cerebral disturbance of newborn
P916 5 hypoxic ischaemic encephalopathy
P92 1 feeding problem of newborn
P93-P94 2 reaction to drugs/muscle tone disorder of newborn
P95 0 fetal death
P96 1 perinatal condition
Q00-Q07 4 congenital malformation of nervous system
Q10-Q18 1 congenital malformation of eye/ear/face
Q20-Q26 4 congenital malformation of heart/great vessels
Q211 2 atrial septal defect
Q250 2 patent ductus arteriosus
Q30-Q34 3 congenital malformation of respiratory system
Q35-Q37 2 cleft lip/palate
Q38-Q45 3 congenital malformation of digestive system
Q50-Q56 1 congenital malformation of genital organs
Q60-Q64 3 congenital malformation of urinary system
Q65-Q79 2 congenital musculoskeletal malformation
Q790-Q793 5 diaphragmatic hernia/exomphalos/gastroschisis
Q80-Q89 2 other congenital malformation
Q90 4 Down's syndrome
Q91 5 Edwards'/Patau's syndrome
Q92-Q99 3 chromosomal abnormality
"""

# Obstetric (NZ) weights, final NZ scale (bands 0 / 1 / 2+): pregnancy complications and
# maternal conditions; non-O codes use the generic severity mapped to the NZ scale.
NZ = r"""
O10 1 pre-existing hypertension complicating pregnancy
O11 2 pre-eclampsia superimposed on chronic hypertension
O12 0 gestational oedema/proteinuria
O13 1 gestational hypertension
O14-O15 2 pre-eclampsia/eclampsia
O16 1 maternal hypertension, unspecified
O21 1 hyperemesis gravidarum
O22 1 venous complication in pregnancy
O223 2 deep phlebothrombosis in pregnancy
O225 2 cerebral venous thrombosis in pregnancy
O23 1 infection of genitourinary tract in pregnancy
O240-O243 2 pre-existing diabetes in pregnancy
O244 1 gestational diabetes
O249 1 diabetes in pregnancy, unspecified
O25 1 malnutrition in pregnancy
O29 1 complication of anaesthesia during pregnancy
O30 1 multiple gestation
O432 2 morbidly adherent placenta
O44 1 placenta praevia
O45 2 premature separation of placenta
O46 1 antepartum haemorrhage
O702-O703 1 third/fourth degree perineal laceration
O710-O711 2 rupture of uterus
O72 1 postpartum haemorrhage
O73 1 retained placenta/membranes
O74 1 complication of anaesthesia during labour
O751 2 shock during or following labour
O752-O754 1 pyrexia/infection/complication of obstetric surgery
O85 2 puerperal sepsis
O86 1 puerperal infection
O87 1 venous complication in the puerperium
O871 2 deep phlebothrombosis in the puerperium
O88 2 obstetric embolism
O89 1 complication of anaesthesia during the puerperium
O900-O901 1 disruption of obstetric wound
O903-O904 2 peripartum cardiomyopathy/postpartum acute renal failure
O98 1 maternal infectious disease
O987 2 HIV disease complicating pregnancy
O990-O996 1 maternal disease complicating pregnancy
O994 2 circulatory disease complicating pregnancy
O998 1 maternal disease complicating pregnancy
"""
