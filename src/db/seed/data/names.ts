/**
 * Name pools for generated people and organisations.
 *
 * CM: francophone, anglophone (North-West/South-West), Beti, Bamiléké, Sawa and
 *     Fulbe/northern names.
 * NG: Yoruba, Igbo, Hausa-Fulani and South-South names.
 * ZA: isiZulu, isiXhosa, Sesotho/Setswana/Sepedi, Xitsonga/Tshivenda,
 *     Afrikaans, English, Indian and Coloured South African names.
 * EU: names common across Europe, including people of Turkish, Arab, Afghan,
 *     Ukrainian, Eritrean, West African and South Asian background.
 */
export const FIRST_NAMES: Record<'CM' | 'NG' | 'ZA' | 'EU', string[]> = {
  CM: [
    'Jean-Pierre', 'Marie-Claire', 'Achille', 'Armelle', 'Blaise', 'Brice', 'Carine', 'Christelle', 'Cyrille', 'Estelle',
    'Gaëlle', 'Hervé', 'Landry', 'Laure', 'Léonie', 'Loïc', 'Martial', 'Mireille', 'Nadège', 'Raïssa',
    'Rosine', 'Sandrine', 'Serge', 'Sylvie', 'Théophile', 'Ulrich', 'Wilfried', 'Yannick', 'Arnaud', 'Franck',
    'Clovis', 'Prisca', 'Joséphine', 'Gervais', 'Aurélie', 'Boris', 'Murielle', 'Thierry', 'Vanessa', 'Patrice',
    'Ebenezer', 'Blessing', 'Divine', 'Comfort', 'Godlove', 'Gladys', 'Mercy', 'Precious', 'Emmanuel', 'Pamela',
    'Ngum', 'Lum', 'Bih', 'Nkeng', 'Ayuk', 'Enow', 'Ashu', 'Tabe', 'Nfor', 'Fon',
    'Aïssatou', 'Hamadou', 'Fadimatou', 'Oumarou', 'Hadidja', 'Saïdou', 'Zénabou', 'Moussa', 'Aminatou', 'Abdoulaye',
    'Adamou', 'Ramatou', 'Bouba', 'Habiba', 'Mahamat', 'Djenabou', 'Issa', 'Asta', 'Yaya', 'Hawaou',
  ],
  NG: [
    'Adebayo', 'Adewale', 'Ayodele', 'Babajide', 'Bolanle', 'Damilola', 'Folake', 'Funmilayo', 'Ifeoluwa', 'Kehinde',
    'Taiwo', 'Olumide', 'Oluwaseun', 'Temitope', 'Tunde', 'Yetunde', 'Abimbola', 'Segun', 'Titilayo', 'Opeyemi',
    'Kayode', 'Bukola', 'Chinedu', 'Chiamaka', 'Chidinma', 'Chukwuemeka', 'Ngozi', 'Obinna', 'Uchenna', 'Ifeanyi',
    'Nneka', 'Adaeze', 'Ikenna', 'Chioma', 'Kelechi', 'Amarachi', 'Ebuka', 'Nkechi', 'Somtochukwu', 'Onyinye',
    'Emeka', 'Ugochukwu', 'Abubakar', 'Aisha', 'Amina', 'Hauwa', 'Ibrahim', 'Musa', 'Sani', 'Zainab',
    'Usman', 'Fatima', 'Halima', 'Yusuf', 'Bashir', 'Hadiza', 'Nasiru', 'Maryam', 'Aliyu', 'Rukayya',
    'Lawal', 'Safiya', 'Efe', 'Ese', 'Tamuno', 'Ekaette', 'Ini', 'Godwin', 'Ofonime', 'Osaze',
  ],
  ZA: [
    'Sipho', 'Nomvula', 'Thandeka', 'Sibusiso', 'Nkosinathi', 'Lindiwe', 'Mandla', 'Zanele', 'Bongani', 'Nokuthula',
    'Sizwe', 'Themba', 'Nompumelelo', 'Lungile', 'Ayanda', 'Xolani', 'Siyabonga', 'Zodwa', 'Lwazi', 'Siyamthanda',
    'Unathi', 'Anele', 'Lulama', 'Lindokuhle', 'Thando', 'Vuyo', 'Asanda', 'Luyanda', 'Babalwa', 'Nandipha',
    'Yonela', 'Akhona', 'Thabo', 'Lerato', 'Palesa', 'Mpho', 'Tumelo', 'Kagiso', 'Refilwe', 'Dineo',
    'Katlego', 'Boitumelo', 'Tshepo', 'Karabo', 'Lesedi', 'Neo', 'Kabelo', 'Itumeleng', 'Masego', 'Rirhandzu',
    'Tsakani', 'Khathutshelo', 'Mashudu', 'Pieter', 'Johan', 'Riaan', 'Annelie', 'Marius', 'Elmarie', 'Willem',
    'Anke', 'Jaco', 'Chantelle', 'Liezel', 'Francois', 'Michael', 'Sarah', 'Jessica', 'Ryan', 'Nicole',
    'Kyle', 'Megan', 'Priya', 'Kershen', 'Yusuf', 'Shireen', 'Ashwin', 'Fatima', 'Ebrahim', 'Nadia',
  ],
  EU: [
    'Lukas', 'Anna', 'Sophie', 'Jonas', 'Léa', 'Emma', 'Lucas', 'Hugo', 'Chloé', 'Mathieu',
    'Giulia', 'Marco', 'Sofia', 'Alejandro', 'Lucía', 'Pablo', 'Inês', 'João', 'Magnus', 'Ingrid',
    'Astrid', 'Erik', 'Freja', 'Mikkel', 'Aino', 'Eero', 'Katarzyna', 'Piotr', 'Agnieszka', 'Jakub',
    'Niamh', 'Seán', 'Aoife', 'Oliver', 'Charlotte', 'James', 'Amelia', 'Thijs', 'Femke', 'Daan',
    'Olena', 'Oleksandr', 'Dmytro', 'Iryna', 'Ahmad', 'Mohammed', 'Yasmin', 'Omar', 'Amira', 'Samira',
    'Karim', 'Leila', 'Hamza', 'Mehmet', 'Elif', 'Ayşe', 'Emre', 'Zeynep', 'Reza', 'Zahra',
    'Mariama', 'Aliou', 'Kofi', 'Abena', 'Tesfaye', 'Selam', 'Yonas', 'Hanna', 'Farah', 'Rohan',
    'Priyanka', 'Ana', 'Miguel', 'Noor', 'Ibrahima', 'Fatou', 'Chinonso', 'Bilal', 'Sanne', 'Matteo',
  ],
};

export const LAST_NAMES: Record<'CM' | 'NG' | 'ZA' | 'EU', string[]> = {
  CM: [
    'Mbarga', 'Atangana', 'Ngono', 'Essomba', 'Fouda', 'Onana', 'Mvondo', 'Abega', 'Owona', 'Nkoulou',
    'Ndongo', 'Bidjoka', 'Etoundi', 'Manga', 'Belinga', 'Kamga', 'Tchoumi', 'Fotso', 'Kamdem', 'Tchatchoua',
    'Djoumessi', 'Noubissi', 'Talla', 'Tagne', 'Wamba', 'Simo', 'Ngassa', 'Kenfack', 'Nguemo', 'Tchinda',
    'Ndjock', 'Nyobe', 'Mbock', 'Ekwalla', 'Ekambi', 'Doumbe', 'Ngando', 'Kotto', 'Epée', 'Dikongue',
    'Ebong', 'Mbah', 'Nfor', 'Ngwa', 'Tanyi', 'Achu', 'Fru', 'Ndi', 'Nji', 'Ayuk',
    'Tabi', 'Eyong', 'Agbor', 'Enow', 'Ako', 'Mokake', 'Ekema', 'Tambe', 'Bate', 'Awah',
    'Bouba', 'Hamadou', 'Oumarou', 'Aboubakar', 'Alim', 'Mohamadou', 'Bello', 'Mal', 'Hayatou', 'Abdoulkarim',
    'Dairou', 'Adji', 'Goni', 'Bakari', 'Souley', 'Ousmanou',
  ],
  NG: [
    'Adeyemi', 'Adebayo', 'Ogunleye', 'Olawale', 'Ogundipe', 'Akinola', 'Adekunle', 'Balogun', 'Oyelaran', 'Ojo',
    'Alade', 'Afolabi', 'Adeleke', 'Oyewole', 'Jegede', 'Tiamiyu', 'Oyebanji', 'Olaniyan', 'Bankole', 'Fashola',
    'Okonkwo', 'Okafor', 'Eze', 'Nwosu', 'Obi', 'Chukwu', 'Nwachukwu', 'Okeke', 'Ibekwe', 'Uzor',
    'Anyanwu', 'Agu', 'Ugwu', 'Okoro', 'Ogbu', 'Ndukwe', 'Eke', 'Ogbonna', 'Onuoha', 'Nwankwo',
    'Bello', 'Abdullahi', 'Mohammed', 'Ibrahim', 'Suleiman', 'Danjuma', 'Yakubu', 'Garba', 'Lawal', 'Aliyu',
    'Musa', 'Umar', 'Sani', 'Usman', 'Bala', 'Shehu', 'Tanko', 'Dikko', 'Okon', 'Essien',
    'Udoh', 'Effiong', 'Bassey', 'Edet', 'Ekpo', 'Akpan', 'Etim', 'Omoregie', 'Osagie', 'Igbinedion',
    'Ighodaro', 'Tamunoemi', 'Briggs', 'Amadi',
  ],
  ZA: [
    'Dlamini', 'Nkosi', 'Ndlovu', 'Zulu', 'Khumalo', 'Mthembu', 'Ngcobo', 'Buthelezi', 'Mkhize', 'Zungu',
    'Cele', 'Shabalala', 'Sithole', 'Gumede', 'Mtshali', 'Ntuli', 'Xaba', 'Majola', 'Mahlangu', 'Mavuso',
    'Mlambo', 'Mbatha', 'Mabandla', 'Ntshona', 'Siwisa', 'Mgijima', 'Qwabe', 'Mokoena', 'Mofokeng', 'Molefe',
    'Tshabalala', 'Motaung', 'Nhlapo', 'Radebe', 'Masilo', 'Modise', 'Tau', 'Kgosana', 'Letsoalo', 'Mathebula',
    'Maluleke', 'Baloyi', 'Chauke', 'Mudau', 'Netshitenzhe', 'Ramabulana', 'Van der Merwe', 'Botha', 'Pretorius', 'Nel',
    'Du Plessis', 'Venter', 'Coetzee', 'Steyn', 'Van Wyk', 'Fourie', 'Swanepoel', 'Oosthuizen', 'Le Roux', 'Kruger',
    'Smith', 'Williams', 'Jacobs', 'Naidoo', 'Pillay', 'Govender', 'Moodley', 'Reddy', 'Adams', 'Petersen',
    'Hendricks', 'Daniels', 'Isaacs', 'Abrahams', 'Davids', 'Cassiem',
  ],
  EU: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Martin', 'Bernard', 'Dubois', 'Moreau',
    'Laurent', 'Lefebvre', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'García', 'Fernández', 'López',
    'Martínez', 'Silva', 'Santos', 'Ferreira', 'Jansen', 'de Vries', 'van den Berg', 'Bakker', 'Peeters', 'Janssens',
    'Hansen', 'Johansson', 'Andersson', 'Nilsson', 'Larsen', 'Nielsen', 'Virtanen', 'Korhonen', 'Nowak', 'Kowalski',
    'Wiśniewski', 'Gruber', 'Huber', 'Murphy', "O'Brien", 'Kelly', 'Taylor', 'Brown', 'Yılmaz', 'Kaya',
    'Demir', 'Öztürk', 'Al-Hassan', 'Haddad', 'Khalil', 'Hussein', 'Rahimi', 'Ahmadi', 'Mensah', 'Diallo',
    'Traoré', 'Ndiaye', 'Kamara', 'Tesfay', 'Haile', 'Kovalenko', 'Shevchenko', 'Bondarenko', 'Popescu', 'Ionescu',
    'Nguyen', 'Patel', 'Khan', 'Okafor', 'Benali', 'El Amrani', 'Lindqvist', 'Sow',
  ],
};

/**
 * Parts to compose organisation names: `${prefix} ${core} ${suffix}` or
 * `${core} ${suffix}`; suffixes are chosen by organisation type.
 */
export const ORG_NAME_PARTS: { prefixes: string[]; cores: string[]; suffixes: Record<string, string[]> } = {
  prefixes: [
    'New', 'Grand', 'United', 'Pan-African', 'Green', 'Bright', 'Golden', 'Northern', 'Southern', 'Coastal',
    'Atlantic', 'Sahel', 'Savanna', 'Highland', 'Royal', 'First', 'Prime', 'Nova', 'Rising', 'Global',
    'Central', 'Eastern', 'Western', 'Greater', 'Open',
  ],
  cores: [
    'Baobab', 'Iroko', 'Ubuntu', 'Kola', 'Sanaga', 'Wouri', 'Mungo', 'Benue', 'Niger Delta', 'Limpopo',
    'Drakensberg', 'Mandara', 'Harmattan', 'Acacia', 'Ebony', 'Harvest', 'Bridge', 'Pathways', 'Horizon', 'Compass',
    'Keystone', 'Beacon', 'Anchor', 'Summit', 'Crossroads', 'Lighthouse', 'Northstar', 'Sunrise', 'Unity', 'Harmony',
    'Kilimanjaro', 'Jacaranda', 'Marula', 'Fynbos', 'Cedar', 'Linden', 'Aurora', 'Equator', 'Sankofa', 'Ndabo',
  ],
  suffixes: {
    employer: [
      'Ltd', 'Limited', 'SARL', 'SA', 'Group', 'Holdings', 'Industries', 'Enterprises', 'Logistics', 'Foods',
      'Manufacturing', 'Construction', 'Energy', 'Technologies', 'Services', 'Agro-Industries', 'Retail', 'Hospitality', 'Motors', 'Textiles',
      '(Pty) Ltd', 'PLC', 'Hotels & Resorts', 'Farms', 'Distribution',
    ],
    ngo: [
      'Foundation', 'Initiative', 'Trust', 'Network', 'Association', 'Alliance', 'Collective', 'Relief', 'Aid', 'Hope Centre',
      'Youth Forum', "Women's Network", 'Development Association', 'Community Action', 'Humanitarian Support', 'Refugee Support', 'Welfare Society', 'Empowerment Centre', 'Outreach', 'Solidarity',
      'Returnees Network', 'Livelihoods Programme', 'Peace Project', 'Rights Watch',
    ],
    government: [
      'Regional Delegation of Employment', 'Municipal Council', 'City Council', 'Local Government Area', 'Department of Labour', 'Employment Agency', 'Skills Development Agency', 'Youth Employment Office', 'District Health Service', 'Provincial Department of Education',
      'Metropolitan Municipality', 'Sector Education and Training Authority', 'Ministry Field Office', 'Development Authority', 'Social Welfare Office', 'Reintegration Office', 'Vocational Training Directorate', 'Divisional Office', 'State Ministry of Commerce', 'Rural Development Agency',
      'Statistics Office', 'Investment Promotion Agency',
    ],
    private_sector: [
      'Consulting', 'Partners', 'Advisory', 'Ventures', 'Capital', 'Solutions', 'Systems', 'Labs', 'Digital', 'Associates',
      'Brokers', 'Trading', 'Imports & Exports', 'Finance', 'Microfinance', 'Insurance', 'Media', 'Studio', 'Agency', 'Works',
      'Networks', 'Hub',
    ],
    training_provider: [
      'Institute', 'Academy', 'Vocational Training Centre', 'Polytechnic', 'Skills Hub', 'TVET College', 'Centre de Formation Professionnelle', 'Technical School', 'Learning Centre', 'Bootcamp',
      'Coding School', 'Trade School', 'Hospitality School', 'School of Nursing', 'Driving School', 'Agricultural Training Centre', 'Welding Academy', 'Language School', 'Business School', 'Artisans Workshop',
      'Apprenticeship Centre', 'Solar Academy',
    ],
    institution: [
      'University', 'College', 'Teaching Hospital', 'Research Institute', 'Chamber of Commerce', 'Higher Institute of Management', 'Polytechnic University', 'Institute of Technology', 'National Library', 'Museum',
      'School of Public Health', 'Institute of Agricultural Research', 'Employers Federation', 'Professional Association', 'Bar Association', 'Institute of Chartered Accountants', 'Regional Hospital', 'Statistical Institute', 'Graduate School', 'Academy of Sciences',
      'Central Library', 'Conservatory',
    ],
    sponsor: [
      'Fund', 'Foundation', 'Philanthropies', 'Development Fund', 'Impact Fund', 'Charitable Trust', 'Endowment', 'Capital Partners', 'Giving Programme', 'Opportunity Fund',
      'Catalyst Fund', 'Challenge Fund', 'Family Foundation', 'Social Investment', 'Futures Fund', 'Community Foundation', 'Scholarship Trust', 'Innovation Fund', 'Resilience Fund', 'Skills Fund',
      'Prosperity Fund',
    ],
    csr_company: [
      'Bank', 'Insurance', 'Telecom', 'Energy', 'Pharma', 'Consulting', 'Mobility', 'Retail Group', 'Foods', 'Logistics',
      'Industrial Group', 'AG', 'SE', 'NV', 'ASA', 'AB', 'Oyj', 'GmbH', 'S.p.A.', 'Group plc',
      'Brewing Company', 'Shipping', 'Engineering',
    ],
  },
};
